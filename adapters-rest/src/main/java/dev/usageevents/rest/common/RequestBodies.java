package dev.usageevents.rest.common;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Reads the request bodies of one schema's paths on the event loop, up to the body limit, in a route of the HTTP
 * layer just ahead of Quarkus's own limit check ({@code quarkus.http.limits.max-body-size}, order
 * {@value RouteConstants#ROUTE_ORDER_UPLOAD_LIMIT}), which would answer an oversized body with an empty 413 before
 * any JAX-RS code runs.
 *
 * <ul>
 *   <li>A {@code Content-Length} over the limit is refused before the body is read, in the schema's own shape;
 *       a body sent without a length (chunked) that grows past the limit likewise, once it does.</li>
 *   <li>Over HTTP/1.1, every other body is read into memory here, and the request leaves this route with a body,
 *       empty when none was sent: a resource method running on a worker thread then never waits for its body.
 *       Without a body read here, RESTEasy Reactive read an empty one with a blocking stream that waited for data
 *       that never came, until the client gave up: an empty POST hung instead of being answered 400.</li>
 *   <li>Over HTTP/2 the body is left to RESTEasy, which cannot take a request whose body is already read
 *       ("Request has already been read").</li>
 * </ul>
 */
public final class RequestBodies {

    /** Answers a body over the limit; {@code declaredLength} is its {@code Content-Length}, or -1 if chunked. */
    @FunctionalInterface
    public interface TooLarge {
        void answer(RoutingContext context, long declaredLength);
    }

    private RequestBodies() {
    }

    public static void install(Router router, String path, long limit, TooLarge tooLarge) {
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(limit);
        router.route(path).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(context -> read(context, bodies, limit, tooLarge))
                .handler(RequestBodies::atLeastEmpty)
                .failureHandler(context -> {
                    if (context.statusCode() == 413 && !context.response().headWritten()) {
                        tooLarge.answer(context, -1);
                    } else {
                        context.next();
                    }
                });
    }

    private static void read(RoutingContext context, BodyHandler bodies, long limit, TooLarge tooLarge) {
        String header = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = contentLength(header);
        if (length > limit) {
            tooLarge.answer(context, length);
        } else if (context.request().version() == HttpVersion.HTTP_2) {
            context.next();
        } else if (header != null || context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            bodies.handle(context);
        } else {
            context.next();
        }
    }

    private static void atLeastEmpty(RoutingContext context) {
        if (context.request().version() != HttpVersion.HTTP_2 && context.body().buffer() == null) {
            ((RoutingContextInternal) context).setBody(Buffer.buffer());
        }
        context.next();
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
