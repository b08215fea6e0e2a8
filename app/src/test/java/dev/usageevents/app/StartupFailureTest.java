package dev.usageevents.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class StartupFailureTest {

    @Test
    void namesThePortThatCannotBeBound() {
        assertThat(StartupFailure.describe(new RuntimeException(new BindException("Address already in use")), "8080",
                "")).isEqualTo("usage-events: cannot start: port 8080 cannot be used (in use by another process, "
                        + "or not allowed): set QUARKUS_HTTP_PORT to a free port");
    }

    @Test
    void namesTheDatabaseByHostAndPort() {
        SQLException refused = new SQLException("Connection to db.internal:6432 refused.", "08001",
                new ConnectException("Connection refused"));
        assertThat(StartupFailure.describe(new IllegalStateException("Flyway failed", refused), "8080",
                "jdbc:postgresql://db.internal:6432/usage?ssl=true"))
                .startsWith("usage-events: cannot start: the database at db.internal:6432 cannot be reached")
                .endsWith("check QUARKUS_DATASOURCE_JDBC_URL");
        assertThat(StartupFailure.hostAndPort("jdbc:postgresql://db/usage")).isEqualTo("db:5432");
    }

    @Test
    void otherwiseTheInnermostMessageOnOneLine() {
        assertThat(StartupFailure.describe(new RuntimeException("wrapper", new IllegalArgumentException(
                "USAGE_TOKEN_SECRET: too short\nmore")), "8080", ""))
                .isEqualTo("usage-events: cannot start: USAGE_TOKEN_SECRET: too short more");
        assertThat(StartupFailure.describe(new IllegalStateException("Configuration validation failed:\n"
                + "\tusage.group-commit.writers USAGE_GROUP_COMMIT_WRITERS must be between 1 and 64\n"), "8080", ""))
                .isEqualTo("usage-events: cannot start: Configuration validation failed: usage.group-commit.writers "
                        + "USAGE_GROUP_COMMIT_WRITERS must be between 1 and 64");
    }
}
