package dev.usageevents.domain.port.out;

/** The store cannot be reached or cannot commit now; the caller may retry later. Nothing was acknowledged. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
