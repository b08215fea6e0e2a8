package dev.usageevents.rest.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one route that takes the request bodies of every API ({@code /api}, {@code /v1}, {@code /admin}: each a
 * {@link BodySchema}), ahead of Quarkus's own limit check (order {@value RouteConstants#ROUTE_ORDER_UPLOAD_LIMIT},
 * which would answer an oversized body with an empty 413 before any JAX-RS code runs). A request is acknowledged
 * only for a body received whole, so before a byte of it is read, in this order:
 *
 * <ol>
 *   <li>a {@code Content-Length} over the body limit is refused (413, in the schema's shape);</li>
 *   <li>the caller is authenticated from the headers (a database look-up runs on a worker thread, the request
 *       paused meanwhile): wrong credentials get their 401 at once, and their body is never buffered;</li>
 *   <li>the body's bytes are reserved in the {@link BufferBudget} of {@code usage.max-buffered-bytes}:
 *       when they do not fit, 503 with {@code Retry-After} (a chunked body reserves as it arrives, and is refused
 *       the same way once it does not fit). The reservation is given back when the response ends or the
 *       connection closes.</li>
 * </ol>
 *
 * <p>Over HTTP/1.1 the body is then read here into one buffer of the announced size, counting its bytes; the
 * request goes on only once the body has ended as HTTP frames it (every announced byte, or the last chunk), so a
 * resource never sees a partial body: a client that closes early, a malformed chunk, or anything thrown while
 * the bytes are gathered ({@link OutOfMemoryError} included) ends the request without an acknowledgement. Vert.x
 * would log such a throwable from a data handler and carry on without the piece it could not append: a JSON
 * string missing a piece is still valid JSON. A request without a body leaves with an empty one, so that a
 * resource on a worker thread never waits for a body (RESTEasy's blocking stream over no body waited forever).
 * Over HTTP/2 the body is left to RESTEasy, which cannot take a body already read, but its announced size (or
 * the body limit, if none) is reserved all the same.
 */
@Singleton
public class RequestBodies {

    private static final Logger LOG = Logger.getLogger(RequestBodies.class);
    /** Seconds a client refused for lack of memory is asked to wait. */
    static final long RETRY_AFTER_SECONDS = 1;

    private final List<BodySchema> schemas;
    private final long limit;
    private final BufferBudget budget;
    private final Vertx vertx;

    RequestBodies(Instance<BodySchema> schemas, RequestBodyConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "5M") MemorySize limit,
            Vertx vertx) {
        this.schemas = schemas.stream().toList();
        this.limit = limit.asLongValue();
        long capacity = config.maxBuffered().asLongValue();
        if (capacity < this.limit) {
            throw new IllegalArgumentException("usage.max-buffered-bytes (USAGE_MAX_BUFFERED_BYTES) is "
                    + capacity + " bytes: it must be at least the body limit, quarkus.http.limits.max-body-size ("
                    + this.limit + " bytes), or the largest body allowed could never be taken");
        }
        this.budget = new BufferBudget(capacity);
        this.vertx = vertx;
    }

    /** The bytes of request bodies held now, and the most there may be. */
    public BufferBudget budget() {
        return budget;
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::handle);
    }

    private Optional<BodySchema> schemaOf(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (BodySchema schema : schemas) {
            String prefix = schema.prefix();
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return Optional.of(schema);
            }
        }
        return Optional.empty();
    }

    private void handle(RoutingContext context) {
        Optional<BodySchema> found = schemaOf(context.normalizedPath());
        if (found.isEmpty()) {
            context.next();
            return;
        }
        BodySchema schema = found.get();
        HttpServerRequest request = context.request();
        long declared = contentLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        boolean chunked = !http2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        if (!mayHaveBody(request, declared, chunked, http2)) {
            if (!http2) {
                ((RoutingContextInternal) context).setBody(Buffer.buffer());
            }
            context.next();
            return;
        }
        if (declared > limit) {
            refuse(context, schema.tooLarge(limit, declared));
            return;
        }
        BodyReader reader = new BodyReader(context, schema, declared);
        context.addEndHandler(ended -> reader.release());
        if (!http2) {
            // From now on: a malformed chunk, or the client gone, may come before the body is read.
            request.exceptionHandler(reader::failed);
        }
        if (schema.knownCaller(request.headers())) {
            admitted(context, schema, reader, chunked, http2);
            return;
        }
        request.pause();
        vertx.<Optional<BodySchema.Refusal>>executeBlocking(() -> schema.checkCaller(request.headers()), false)
                .onComplete(checked -> {
                    if (reader.failed) {
                        return;
                    } else if (checked.failed()) {
                        LOG.debugf(checked.cause(), "credentials could not be checked");
                        refuse(context, schema.unavailable("The service cannot check credentials right now; "
                                + "nothing was stored. Retry later.", 5));
                    } else if (checked.result().isPresent()) {
                        refuse(context, checked.result().get());
                    } else {
                        admitted(context, schema, reader, chunked, http2);
                    }
                });
    }

    /**
     * Over HTTP/1.1 a body is announced by its length or by chunked transfer; over HTTP/2 by its length, else only
     * the methods that carry one are assumed to.
     */
    private static boolean mayHaveBody(HttpServerRequest request, long declared, boolean chunked, boolean http2) {
        if (declared > 0 || chunked) {
            return true;
        }
        return http2 && declared < 0 && (request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT
                || request.method() == HttpMethod.PATCH);
    }

    /** A caller whose credentials may be valid: its body is reserved, then read. */
    private void admitted(RoutingContext context, BodySchema schema, BodyReader reader, boolean chunked,
            boolean http2) {
        long declared = reader.declared;
        long reservation = http2 ? (declared >= 0 ? declared : limit) : chunked ? 0 : declared;
        if (!reader.reserve(reservation)) {
            reader.fail(busy(schema));
            return;
        }
        if (http2) {
            context.request().resume();
            context.next();
            return;
        }
        String expect = context.request().getHeader(HttpHeaders.EXPECT);
        if (expect != null && expect.equalsIgnoreCase("100-continue")
                && context.request().version() != HttpVersion.HTTP_1_0) {
            context.response().writeContinue();
        }
        reader.read();
    }

    private BodySchema.Refusal busy(BodySchema schema) {
        return schema.unavailable("The service holds as many request bodies as its memory allows ("
                + budget.capacity() + " bytes); nothing was stored. Retry in " + RETRY_AFTER_SECONDS + " s.",
                RETRY_AFTER_SECONDS);
    }

    /**
     * Answers before (or instead of) reading the body, and closes the connection once the answer is written: the
     * body's bytes, unread, cannot be told from a next request.
     */
    static void refuse(RoutingContext context, BodySchema.Refusal refusal) {
        boolean http2 = context.request().version() == HttpVersion.HTTP_2;
        if (context.response().headWritten() || context.response().closed()) {
            if (http2) {
                context.response().reset();
            } else {
                context.request().connection().close();
            }
            return;
        }
        context.response().setStatusCode(refusal.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        refusal.headers().forEach(context.response()::putHeader);
        if (!http2) {
            // Over HTTP/2 the stream ends alone; over HTTP/1.1 the connection must go with the unread body.
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            context.addEndHandler(ended -> context.request().connection().close());
        }
        context.response().end(Buffer.buffer(refusal.json()));
    }

    /** The body of one request, gathered and counted, and its part of the budget. */
    private final class BodyReader {
        private final RoutingContext context;
        private final BodySchema schema;
        final long declared;
        private Buffer body;
        /** Guarded by the request's event loop, as are the fields below. */
        private long reserved;
        private long received;
        boolean failed;
        private boolean released;

        BodyReader(RoutingContext context, BodySchema schema, long declared) {
            this.context = context;
            this.schema = schema;
            this.declared = declared;
        }

        /** Takes {@code bytes} more of the budget for this body; false if they do not fit. */
        boolean reserve(long bytes) {
            if (released || !budget.tryReserve(bytes)) {
                return false;
            }
            reserved += bytes;
            return true;
        }

        void read() {
            HttpServerRequest request = context.request();
            if (request.isEnded()) {
                fail(schema.malformed("The request body was not received"));
                return;
            }
            body = declared > 0 ? Buffer.buffer((int) declared) : Buffer.buffer();
            request.handler(this::chunk).endHandler(ended -> end()).exceptionHandler(this::failed).resume();
        }

        private void chunk(Buffer chunk) {
            if (failed) {
                return;
            }
            try {
                long total = received + chunk.length();
                if (total > limit) {
                    fail(schema.tooLarge(limit, declared));
                    return;
                }
                if (total > reserved && !reserve(total - reserved)) {
                    fail(busy(schema));
                    return;
                }
                body.appendBuffer(chunk);
                received = total;
            } catch (Throwable t) {
                thrown(t);
            }
        }

        private void end() {
            if (failed) {
                return;
            }
            try {
                if (declared >= 0 && received != declared) {
                    fail(schema.malformed("The request body has " + received + " bytes, not the " + declared
                            + " of its Content-Length"));
                    return;
                }
                ((RoutingContextInternal) context).setBody(body);
                context.next();
            } catch (Throwable t) {
                thrown(t);
            }
        }

        /** The connection failed before the body ended: a client gone, or HTTP that could not be decoded. */
        void failed(Throwable failure) {
            if (failed) {
                return;
            }
            failed = true;
            release();
            if (failure instanceof HttpClosedException || context.request().connection() == null) {
                LOG.debugf("the client went away before its request body ended (%d bytes received)", received);
                return;
            }
            LOG.debugf("a request body could not be read: %s", failure.toString());
            refuse(context, schema.malformed("The request body is not valid HTTP: " + failure.getMessage()));
            // Vert.x closes the connection right after this handler, before the flush it defers to the end of
            // the read under way: without a flush now, the 400 would never leave.
            if (context.request().connection() instanceof ConnectionBase connection) {
                connection.flush();
            }
        }

        void fail(BodySchema.Refusal refusal) {
            failed = true;
            release();
            refuse(context, refusal);
        }

        /**
         * Something threw while the body was gathered: the request ends here, unacknowledged, and its connection
         * is closed. With {@code -XX:+ExitOnOutOfMemoryError} (bin/usage-events) an OutOfMemoryError ends the
         * process before this runs; without it, this keeps the request from going on without part of its body.
         */
        private void thrown(Throwable t) {
            failed = true;
            try {
                LOG.errorf("a request body could not be gathered (%d bytes received): %s", received, t);
                context.request().connection().close();
            } finally {
                release();
            }
        }

        void release() {
            if (!released) {
                released = true;
                budget.release(reserved);
            }
        }
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
