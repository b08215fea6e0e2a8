package dev.usageevents.rest.mantle;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a {@code /v1} request whose {@code Content-Length} is over the body limit with a 413 in Mantle's error
 * shape, before the body is read. It has to be a route of the HTTP layer, just ahead of Quarkus's own limit check
 * ({@code quarkus.http.limits.max-body-size}), which answers such requests with an empty 413 before any JAX-RS
 * filter runs. It comes after the CORS filter, so browsers can read the answer. A body sent without a length
 * (chunked) is read here, up to the limit, by a Vert.x body handler (the resource then gets it from memory), which
 * fails the request with 413 past the limit: answered in the same shape, where Quarkus would send an empty 413.
 */
@ApplicationScoped
class MantleBodyLimit {

    private final long limit;

    MantleBodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "5M") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        BodyHandler chunkedBodies = BodyHandler.create(false).setBodyLimit(limit);
        router.route("/v1/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(context -> check(context, chunkedBodies))
                .failureHandler(this::tooLargeWhileRead);
    }

    private void check(RoutingContext context, BodyHandler chunkedBodies) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null && context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            chunkedBodies.handle(context);
            return;
        }
        if (length != null && tooLong(length)) {
            tooLarge(context);
            return;
        }
        context.next();
    }

    private void tooLargeWhileRead(RoutingContext context) {
        if (context.statusCode() != 413 || context.response().headWritten()) {
            context.next();
            return;
        }
        tooLarge(context);
    }

    private void tooLarge(RoutingContext context) {
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end("{\"error\":\"The request body is larger than " + limit + " bytes; send fewer "
                        + "events per request\",\"details\":[]}");
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
