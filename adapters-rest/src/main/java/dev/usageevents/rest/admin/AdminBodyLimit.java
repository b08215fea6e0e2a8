package dev.usageevents.rest.admin;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers an {@code /admin} request whose {@code Content-Length} is over the body limit with a 413 in the admin
 * API's error shape, before the body is read: Quarkus's own check ({@code quarkus.http.limits.max-body-size}),
 * which runs just after this route, answers with an empty body that names nothing.
 */
@ApplicationScoped
class AdminBodyLimit {

    private final long limit;

    AdminBodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "5M") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route("/admin/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            context.response().setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end("{\"error\":{\"type\":\"PayloadTooLarge\",\"message\":\"The request body is larger than "
                            + limit + " bytes\"}}");
            return;
        }
        context.next();
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
