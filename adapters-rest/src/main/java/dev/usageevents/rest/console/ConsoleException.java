package dev.usageevents.rest.console;

/** A console request that ends in an HTML page of refusal (or, with {@code status} 303, a redirect to sign-in). */
class ConsoleException extends RuntimeException {

    final int status;
    final long retryAfterSeconds;

    ConsoleException(int status, String message) {
        this(status, message, 0);
    }

    ConsoleException(int status, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ConsoleException notFound() {
        return new ConsoleException(404, "Not found (or not in your account)");
    }

    static ConsoleException signIn() {
        return new ConsoleException(303, "Sign in first");
    }
}
