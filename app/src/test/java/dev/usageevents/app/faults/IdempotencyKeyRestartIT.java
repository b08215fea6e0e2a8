package dev.usageevents.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.process.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An Idempotency-Key outlives the instance that took it: a retry on a restarted instance gets the first answer. */
class IdempotencyKeyRestartIT {

    private static final String EVENT = "{\"customerAlias\":\"acme\",\"eventType\":\"api-call\"}";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRetryAfterARestartGetsTheFirstAnswer() throws Exception {
        String key = UUID.randomUUID().toString();
        try (TestDatabase database = TestDatabase.start()) {
            String basic;
            String first;
            try (AppProcess app = AppProcess.start(database.jdbcUrl(), database.user(), Map.of())) {
                String account = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/admin/accounts"))
                        .header("Authorization", "Bearer " + AppProcess.ADMIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"idempotent\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                basic = "Basic " + Base64.getEncoder().encodeToString((field(account, "clientId") + ":"
                        + field(account, "clientSecret")).getBytes(StandardCharsets.UTF_8));
                HttpResponse<String> created = post(app, basic, key);
                assertThat(created.statusCode()).isEqualTo(201);
                first = field(created.body(), "id");
                assertThat(app.terminate(Duration.ofSeconds(30))).isIn(0, 143);
            }
            try (AppProcess restarted = AppProcess.start(database.jdbcUrl(), database.user(), Map.of())) {
                HttpResponse<String> retry = post(restarted, basic, key);
                assertThat(retry.statusCode()).isEqualTo(201);
                assertThat(field(retry.body(), "id")).isEqualTo(first);
                HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(restarted.baseUrl()
                        + "/api/usage-events")).header("Authorization", basic).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(list.body()).contains("\"totalResultSize\":1");
            }
        }
    }

    private HttpResponse<String> post(AppProcess app, String basic, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/usage-events"))
                .header("Authorization", basic).header("Idempotency-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(EVENT)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        return json.replaceAll("(?s).*?\"" + name + "\":\"([^\"]+)\".*", "$1");
    }
}
