package dev.usageevents.rest.common;

import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Optional;

/**
 * One API's side of {@link RequestBodies}: the path prefix it serves, how its callers are recognised from the
 * headers alone, and its error shape for the refusals given before a body is read.
 */
public interface BodySchema {

    /** A refusal ready to be written: status, JSON body and extra headers, in the schema's own shape. */
    record Refusal(int status, byte[] json, Map<String, String> headers) {
    }

    /** The paths of this schema: the prefix itself and everything under it ({@code /api}, {@code /v1}...). */
    String prefix();

    /**
     * Answered from memory, never blocking: true when the headers hold credentials known to be valid, so that
     * {@link #checkCaller} need not run.
     */
    boolean knownCaller(MultiMap headers);

    /**
     * Whether the headers could open the API; may block (a database look-up). Empty when they do; else the 401
     * (or 503, when the admin API is off) the resource would give, so that the body is never read for it.
     */
    Optional<Refusal> checkCaller(MultiMap headers);

    /** The body is over {@code limit} bytes; {@code declaredLength} is its {@code Content-Length}, or -1. */
    Refusal tooLarge(long limit, long declaredLength);

    /** A 503 with {@code Retry-After}: the service cannot take the body now ({@code message} says why). */
    Refusal unavailable(String message, long retryAfterSeconds);

    /** A 400: the body did not arrive as HTTP frames it (a malformed chunk, fewer bytes than announced). */
    Refusal malformed(String message);
}
