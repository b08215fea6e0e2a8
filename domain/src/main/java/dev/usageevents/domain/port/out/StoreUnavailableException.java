package dev.usageevents.domain.port.out;

/**
 * The store cannot be reached or cannot commit now; the caller may retry later. Nothing was acknowledged, and
 * usually nothing was stored; but when the failure came while the commit itself was under way (the connection
 * broke during COMMIT), the write may have been stored: {@link #outcomeUnknown()} says so, and the channels tell
 * the caller ("may have been stored; retrying is safe": a retry is a replay, or a duplicate the store keeps once).
 */
public class StoreUnavailableException extends RuntimeException {

    private final boolean outcomeUnknown;

    public StoreUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public StoreUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** What the caller is told of its write: stored or not, and whether to retry. */
    public String callerAdvice() {
        return outcomeUnknown ? "the commit's outcome is unknown: the events may have been stored; retrying is safe"
                : "nothing was stored; retry later";
    }

    /** Whether the write may have been stored all the same (its commit's outcome was not known). */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
