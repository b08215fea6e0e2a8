package dev.usageevents.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.app.process.AppProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** USAGE_LOG_JSON=true: every console line of the service is one JSON object, from the first line to the last. */
class JsonLoggingIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void logsOneJsonObjectPerLine() throws Exception {
        Path data = Files.createTempDirectory("usage-events-json-log");
        List<JsonNode> lines = new ArrayList<>();
        try (AppProcess app = AppProcess.start(Map.of("USAGE_DATA_DIR", data.toString(), "USAGE_LOG_JSON", "true"))) {
            assertThat(app.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM").isIn(0, 143);
            for (String line : Files.readAllLines(app.log())) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
        }

        assertThat(lines).isNotEmpty().allSatisfy(line -> {
            assertThat(line.isObject()).as(line.toString()).isTrue();
            assertThat(line.path("timestamp").asText()).isNotBlank();
            assertThat(line.path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR");
            assertThat(line.path("loggerName").asText()).isNotBlank();
        });
        assertThat(lines).extracting(line -> line.path("message").asText())
                .anySatisfy(message -> assertThat(message).startsWith("Embedded PostgreSQL at"))
                .anySatisfy(message -> assertThat(message).contains("started in"))
                .anySatisfy(message -> assertThat(message).contains("stopped in"));
    }
}
