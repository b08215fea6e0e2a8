package dev.usageevents.rest.sequence;

import java.util.List;

/** A Sequence API call refused: the HTTP status, the vendor's error type, a message and the fields at fault. */
class SequenceApiException extends RuntimeException {

    static final String VALIDATION = "ValidationError";
    static final String MALFORMED_JSON = "MalformedJson";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String NOT_FOUND = "NotFound";
    static final String CONFLICT = "Conflict";
    static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    static final String UNRECOGNISED_API_VERSION = "UnrecognisedApiVersion";
    static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    static final String RATE_LIMITED = "RateLimitExceeded";
    static final String IDEMPOTENCY_KEY_REUSED = "IdempotencyKeyReused";

    final int status;
    final String type;
    final transient List<SequenceError.FieldMessage> errors;
    /** Seconds for {@code Retry-After}, or 0 for none. */
    long retryAfterSeconds;

    SequenceApiException(int status, String type, String message, List<SequenceError.FieldMessage> errors) {
        super(message);
        this.status = status;
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    SequenceApiException(int status, String type, String message) {
        this(status, type, message, List.of());
    }

    /** A 400 naming the fields at fault; the message names the first. */
    static SequenceApiException invalid(List<SequenceError.FieldMessage> errors) {
        SequenceError.FieldMessage first = errors.get(0);
        String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
        return new SequenceApiException(400, VALIDATION, first.field() + ": " + first.message() + more, errors);
    }

    static SequenceApiException invalid(String field, String message) {
        return invalid(List.of(new SequenceError.FieldMessage(field, message)));
    }

    /** No {@code Authorization} header, or a blank one. */
    static SequenceApiException missingCredentials() {
        return new SequenceApiException(401, UNAUTHORIZED,
                "Send your client id and secret as 'Authorization: Basic base64(clientId:clientSecret)'");
    }

    /** An {@code Authorization} header that opens no account. */
    static SequenceApiException invalidCredentials() {
        return new SequenceApiException(401, UNAUTHORIZED,
                "The Authorization header does not hold a valid client id and secret");
    }

    static SequenceApiException rateLimited(long retryAfterSeconds) {
        SequenceApiException e = new SequenceApiException(429, RATE_LIMITED,
                "Too many requests for this client id; retry in " + retryAfterSeconds + " s");
        e.retryAfterSeconds = retryAfterSeconds;
        return e;
    }

    SequenceError body() {
        return SequenceError.of(type, getMessage(), errors);
    }
}
