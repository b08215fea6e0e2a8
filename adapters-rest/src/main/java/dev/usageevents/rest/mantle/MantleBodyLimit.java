package dev.usageevents.rest.mantle;

import dev.usageevents.rest.common.RequestBodies;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code /v1} request bodies, read by {@link RequestBodies}; one over the body limit is answered with a 413 in
 * Mantle's error shape, where Quarkus would send an empty 413. The route comes after the CORS filter, so browsers
 * can read the answer.
 */
@ApplicationScoped
class MantleBodyLimit {

    private final long limit;

    MantleBodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "5M") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        RequestBodies.install(router, "/v1/*", limit, (context, declaredLength) -> tooLarge(context));
    }

    private void tooLarge(RoutingContext context) {
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end("{\"error\":\"The request body is larger than " + limit + " bytes; send fewer "
                        + "events per request\",\"details\":[]}");
    }
}
