package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.port.out.StoreUnavailableException;
import java.net.ConnectException;
import java.sql.SQLException;
import javax.transaction.xa.XAException;
import org.junit.jupiter.api.Test;

class StoreFailuresTest {

    @Test
    void anUnreachableOrStoppingServerIsUnavailable() {
        assertThat(StoreFailures.translate(new RuntimeException(new SQLException("refused", "08001"))))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(StoreFailures.translate(new SQLException("terminating connection", "57P01")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(StoreFailures.translate(new IllegalStateException(new ConnectException("refused"))))
                .isInstanceOf(StoreUnavailableException.class);
    }

    /** As Narayana reports a failed commit: the driver's exception is suppressed, not a cause. */
    @Test
    void aCommitThatFailedOnAConnectionEndedByTheServerIsUnavailable() {
        XAException resource = new XAException("Error trying to transactionCommit local transaction");
        resource.initCause(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        Exception commit = new Exception("ARJUNA016053: Could not commit transaction.");
        commit.addSuppressed(resource);
        assertThat(StoreFailures.translate(new RuntimeException(commit)))
                .isInstanceOf(StoreUnavailableException.class);
    }

    /** The connection broke during COMMIT: the server may have committed, so the caller is told so. */
    @Test
    void aCommitCutOffByTheConnectionHasAnUnknownOutcome() {
        RuntimeException failed = StoreFailures.commitFailed(new SQLException("An I/O error occurred", "08006"));
        assertThat(failed).isInstanceOf(StoreUnavailableException.class);
        StoreUnavailableException unavailable = (StoreUnavailableException) failed;
        assertThat(unavailable.outcomeUnknown()).isTrue();
        assertThat(unavailable.callerAdvice()).contains("may have been stored; retrying is safe");

        RuntimeException refused = StoreFailures.commitFailed(new SQLException("serialization", "40001"));
        assertThat(refused).isNotInstanceOf(StoreUnavailableException.class);
        assertThat(((StoreUnavailableException) StoreFailures.translate(new SQLException("refused", "08001")))
                .outcomeUnknown()).isFalse();
    }

    @Test
    void aFailedStatementIsNot() {
        RuntimeException bug = new IllegalStateException(new SQLException("duplicate key", "23505"));
        assertThat(StoreFailures.translate(bug)).isSameAs(bug);
        assertThat(StoreFailures.translate(new SQLException("raised", "P0001")))
                .isNotInstanceOf(StoreUnavailableException.class);
    }
}
