package dev.usageevents.rest.sequence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.rest.common.RequestBodies;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code /api} request bodies, read by {@link RequestBodies}; one over
 * {@code quarkus.http.limits.max-body-size} is answered with a 413 in Sequence's shape (Quarkus would send an empty
 * one), and, like the server does, the connection is closed without reading the rest.
 */
@Singleton
class SequenceBodyLimit {

    private final long maxBodyBytes;
    private final ObjectMapper json;

    SequenceBodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "5M")
            MemorySize maxBodySize, ObjectMapper json) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        RequestBodies.install(router, "/api/*", maxBodyBytes, (context, declaredLength) -> tooLarge(context,
                "must be at most " + maxBodyBytes + " bytes"
                        + (declaredLength < 0 ? "" : " (got " + declaredLength + ")")));
    }

    private void tooLarge(RoutingContext context, String message) {
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        context.response().endHandler(ended -> context.request().connection().close());
        answer(context, new SequenceApiException(413, SequenceApiException.PAYLOAD_TOO_LARGE,
                "The request body is too large: it " + message,
                List.of(new SequenceError.FieldMessage(SequenceMapper.BODY, message))));
    }

    private void answer(RoutingContext context, SequenceApiException e) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(e.body());
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        context.response().setStatusCode(e.status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(SequenceHttpFilters.VERSION_HEADER,
                        SequenceHttpFilters.version(context.request().getHeader(SequenceHttpFilters.VERSION_HEADER)))
                .end(Buffer.buffer(body));
    }
}
