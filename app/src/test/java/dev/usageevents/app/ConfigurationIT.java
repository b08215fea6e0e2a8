package dev.usageevents.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.process.AppProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A configuration value out of its range stops the service at start, with a message naming the variable and its
 * range, before any database is reached (the one given here does not exist).
 */
class ConfigurationIT {

    @ParameterizedTest
    @CsvSource({
            "USAGE_GROUP_COMMIT_WRITERS, 0, USAGE_GROUP_COMMIT_WRITERS must be between 1 and 64",
            "USAGE_GROUP_COMMIT_QUEUE_EVENTS, 10, USAGE_GROUP_COMMIT_QUEUE_EVENTS must be between 1000 and 10000000",
            "USAGE_GRPC_STREAM_WINDOW, 1000, USAGE_GRPC_STREAM_WINDOW must be between 1 and 64",
            "USAGE_TIMESTAMP_MAX_AHEAD, -PT1H, USAGE_TIMESTAMP_MAX_AHEAD must be between PT0S and P7D",
            "USAGE_RATE_LIMIT_INGEST_PER_MINUTE, -1, USAGE_RATE_LIMIT_INGEST_PER_MINUTE must be between 0 (off)"})
    void aValueOutOfRangeStopsTheStartNamingTheVariableAndItsRange(String variable, String value, String message)
            throws Exception {
        String log = AppProcess.failToStart(Map.of(variable, value,
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/nothing-listens-here"),
                Duration.ofSeconds(60));

        assertThat(log).contains(message);
    }
}
