package dev.usageevents.persistence;

import dev.usageevents.domain.port.out.StoreUnavailableException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Tells a database that is unavailable (down, restarting, out of connections) from a failed statement: the first
 * becomes {@link StoreUnavailableException}, which the channels answer with 503 / UNAVAILABLE and a retry hint.
 */
final class StoreFailures {

    private StoreFailures() {
    }

    /**
     * Runs {@code call} in a transaction (the caller's, if it has one) and translates its failures, the commit's
     * included: the database may go away between the last statement and the commit.
     */
    static <T> T inTransaction(Supplier<T> call) {
        return guard(() -> QuarkusTransaction.joiningExisting().call(call::get));
    }

    static <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /**
     * A COMMIT that failed: when the database became unavailable meanwhile, the server may have committed before
     * the connection broke, so the outcome is unknown and the exception says so.
     */
    static RuntimeException commitFailed(SQLException failure) {
        RuntimeException translated = translate(failure);
        if (translated instanceof StoreUnavailableException) {
            return new StoreUnavailableException("PostgreSQL became unavailable during the commit: "
                    + failure.getMessage(), failure, true);
        }
        return translated;
    }

    static RuntimeException translate(Throwable failure) {
        if (failure instanceof StoreUnavailableException unavailable) {
            return unavailable;
        }
        // Causes and suppressed exceptions: a failed commit carries the driver's exception as suppressed.
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.add(failure);
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof ConnectException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLException sql && unavailable(sql.getSQLState())) {
                return new StoreUnavailableException("PostgreSQL is unavailable: " + t.getMessage(), failure);
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            Collections.addAll(pending, t.getSuppressed());
        }
        return failure instanceof RuntimeException runtime ? runtime
                : new IllegalStateException("database call failed: " + failure.getMessage(), failure);
    }

    /** Connection exceptions (08), insufficient resources (53), operator intervention such as shutdown (57P). */
    private static boolean unavailable(String state) {
        return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
    }
}
