package dev.usageevents.persistence;

import dev.usageevents.domain.port.out.StoreUnavailableException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Supplier;

/**
 * Tells a database that is unavailable (down, restarting, out of connections) from a failed statement: the first
 * becomes {@link StoreUnavailableException}, which the channels answer with 503 / UNAVAILABLE and a retry hint.
 */
final class StoreFailures {

    private StoreFailures() {
    }

    static <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    static RuntimeException translate(Throwable failure) {
        if (failure instanceof StoreUnavailableException unavailable) {
            return unavailable;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLException sql && unavailable(sql.getSQLState())) {
                return new StoreUnavailableException("PostgreSQL is unavailable: " + t.getMessage(), failure);
            }
        }
        return failure instanceof RuntimeException runtime ? runtime
                : new IllegalStateException("database call failed: " + failure.getMessage(), failure);
    }

    /** Connection exceptions (08), insufficient resources (53), operator intervention such as shutdown (57P). */
    private static boolean unavailable(String state) {
        return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
    }
}
