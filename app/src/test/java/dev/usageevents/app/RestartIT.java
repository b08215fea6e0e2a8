package dev.usageevents.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.process.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run command's promise: no database to set up, and what it stores survives a restart. */
class RestartIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void startsWithItsOwnDatabaseAndKeepsAccountsAcrossARestart() throws Exception {
        Path data = Files.createTempDirectory("usage-events-restart");
        Map<String, String> environment = Map.of("USAGE_DATA_DIR", data.toString());
        String created;
        try (AppProcess app = AppProcess.start(environment)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                    + "/admin/accounts")).header("Authorization", "Bearer " + AppProcess.ADMIN_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Survivor\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(201);
            created = response.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            assertThat(app.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(Files.readString(app.log())).contains("Embedded PostgreSQL", data.toString(), "stopped in");
        }
        assertThat(data.resolve("postgres").resolve("PG_VERSION")).exists();

        try (AppProcess app = AppProcess.start(environment)) {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                    + "/admin/accounts")).header("Authorization", "Bearer " + AppProcess.ADMIN_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains(created, "Survivor");
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                    + "/admin/accounts")).header("Authorization", "Bearer not-the-token").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
        }
    }
}
