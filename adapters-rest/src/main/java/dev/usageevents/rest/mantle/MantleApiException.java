package dev.usageevents.rest.mantle;

import dev.usageevents.rest.mantle.MantleError.FieldDetail;
import java.util.List;

/** A Mantle call refused with a status and a {@link MantleError}. */
class MantleApiException extends RuntimeException {

    final int status;
    final transient List<FieldDetail> details;
    /** Seconds for {@code Retry-After}, or 0 for none. */
    long retryAfterSeconds;

    MantleApiException(int status, String message) {
        this(status, message, List.of());
    }

    MantleApiException(int status, String message, List<FieldDetail> details) {
        super(message);
        this.status = status;
        this.details = List.copyOf(details);
    }

    /** A refusal naming fields: the message is the first of them, with how many more there are. */
    static MantleApiException fields(int status, List<FieldDetail> details) {
        FieldDetail first = details.get(0);
        String more = details.size() == 1 ? "" : " (and " + (details.size() - 1) + " more)";
        return new MantleApiException(status, first.field() + " " + first.message() + more, details);
    }

    static MantleApiException rateLimited(long retryAfterSeconds) {
        MantleApiException e = new MantleApiException(429,
                "Too many requests for this credential; retry in " + retryAfterSeconds + " s");
        e.retryAfterSeconds = retryAfterSeconds;
        return e;
    }

    MantleError body() {
        return new MantleError(getMessage(), details);
    }
}
