package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.port.out.StoreUnavailableException;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The database may go away between a transaction's last statement and its commit (a server shutting down ends
 * every session): the failed commit is an unavailable store (503), like any other failure of the connection.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class StoreCommitFailureTest {

    @Inject
    EntityManager entityManager;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aCommitThatFailsBecauseTheServerEndedTheSessionIsUnavailable() {
        assertThatThrownBy(() -> StoreFailures.inTransaction(() -> {
            Number pid = (Number) entityManager.createNativeQuery("select pg_backend_pid()").getSingleResult();
            terminateFromAnotherSession(pid.intValue());
            return null;
        })).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void aTransactionThatCommitsReturnsItsResult() {
        Number one = StoreFailures.inTransaction(() -> (Number) entityManager.createNativeQuery("select 1")
                .getSingleResult());
        assertThat(one.intValue()).isEqualTo(1);
    }

    /** On a thread of its own, so that its connection is not the one enlisted in the caller's transaction. */
    private void terminateFromAnotherSession(int pid) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement terminate = connection.prepareStatement("select pg_terminate_backend(?)")) {
                    terminate.setInt(1, pid);
                    terminate.executeQuery().close();
                }
                awaitGone(connection, pid);
            } catch (SQLException | InterruptedException e) {
                failure.set(e);
            }
        });
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(failure.get()).isNull();
    }

    private static void awaitGone(Connection connection, int pid) throws SQLException, InterruptedException {
        try (PreparedStatement alive = connection.prepareStatement("select 1 from pg_stat_activity where pid = ?")) {
            alive.setInt(1, pid);
            for (int i = 0; i < 100; i++) {
                try (ResultSet row = alive.executeQuery()) {
                    if (!row.next()) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("backend " + pid + " still alive");
    }
}
