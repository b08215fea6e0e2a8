package dev.usageevents.rest.sequence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * 413 in Sequence's shape for a body under {@code /api} whose {@code Content-Length} exceeds
 * {@code quarkus.http.limits.max-body-size}. The HTTP server checks that header in a route of its own (order
 * {@value RouteConstants#ROUTE_ORDER_UPLOAD_LIMIT}), before any JAX-RS filter could, and answers with an empty
 * body; this route runs just before it. Like the server, it does not read the body and closes the connection.
 * A body sent without a {@code Content-Length} (chunked) is read here, up to the limit, by a Vert.x body handler
 * (the resource then gets it from memory): past the limit the handler fails the request with 413, answered in
 * the same shape. Left to the server, such a body was cut off by a bare 413 with an empty body.
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
        BodyHandler chunkedBodies = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
        router.route("/api/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(context -> limitBodySize(context, chunkedBodies))
                .failureHandler(this::tooLargeWhileRead);
    }

    private void limitBodySize(RoutingContext context, BodyHandler chunkedBodies) {
        String header = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null && context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            chunkedBodies.handle(context);
            return;
        }
        long length = contentLength(header);
        if (length <= maxBodyBytes) {
            context.next();
            return;
        }
        tooLarge(context, "must be at most " + maxBodyBytes + " bytes (got " + length + ")");
    }

    private void tooLargeWhileRead(RoutingContext context) {
        if (context.statusCode() != 413 || context.response().headWritten()) {
            context.next();
            return;
        }
        tooLarge(context, "must be at most " + maxBodyBytes + " bytes");
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

    private static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
