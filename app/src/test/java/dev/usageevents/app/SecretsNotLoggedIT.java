package dev.usageevents.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.app.process.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs every flow that handles a secret — account creation and rotation, identify, both schemas with right and
 * wrong credentials — with debug logging of the service's own code and the HTTP access log on, and greps
 * everything the process printed for each secret.
 */
class SecretsNotLoggedIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> send(AppProcess app, String method, String path, Map<String, String> headers,
            String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noSecretReachesTheLog() throws Exception {
        Path data = Files.createTempDirectory("usage-events-secrets");
        List<String> secrets = new ArrayList<>(List.of(AppProcess.ADMIN_TOKEN));
        Map<String, String> environment = Map.of("USAGE_DATA_DIR", data.toString(),
                "QUARKUS_LOG_CATEGORY__DEV_USAGEEVENTS__LEVEL", "DEBUG",
                "QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true");
        try (AppProcess app = AppProcess.start(environment)) {
            Map<String, String> admin = Map.of("Authorization", "Bearer " + AppProcess.ADMIN_TOKEN,
                    "Content-Type", "application/json");
            JsonNode account = json.readTree(send(app, "POST", "/admin/accounts", admin, "{\"name\":\"Acme\"}").body());
            JsonNode rotated = json.readTree(send(app, "POST", "/admin/accounts/" + account.get("id").asText()
                    + "/rotate-secrets", admin, null).body());
            String clientId = rotated.at("/sequence/clientId").asText();
            String secret = rotated.at("/sequence/clientSecret").asText();
            String appId = rotated.at("/mantle/appId").asText();
            String apiKey = rotated.at("/mantle/apiKey").asText();
            secrets.addAll(List.of(account.at("/sequence/clientSecret").asText(),
                    account.at("/mantle/apiKey").asText(), secret, apiKey));
            String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret)
                    .getBytes(StandardCharsets.UTF_8));
            secrets.add(basic);

            Map<String, String> mantle = Map.of("X-Mantle-App-Id", appId, "X-Mantle-App-Api-Key", apiKey,
                    "Content-Type", "application/json");
            HttpResponse<String> identified = send(app, "POST", "/v1/identify", mantle,
                    "{\"platform\":\"stripe\",\"platformId\":\"cus_1\"}");
            assertThat(identified.statusCode()).isEqualTo(200);
            String token = json.readTree(identified.body()).get("apiToken").asText();
            secrets.add(token);

            assertThat(send(app, "POST", "/api/usage-events", Map.of("Authorization", "Basic " + basic,
                    "Content-Type", "application/json"), "{\"customerAlias\":\"c\",\"eventType\":\"x\"}")
                    .statusCode()).isEqualTo(201);
            assertThat(send(app, "POST", "/v1/usage_events", Map.of("X-Mantle-App-Id", appId,
                    "X-Mantle-Customer-Api-Token", token, "Content-Type", "application/json"),
                    "{\"eventName\":\"x\"}").statusCode()).isEqualTo(200);
            assertThat(send(app, "POST", "/api/usage-events", Map.of("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString((clientId + ":" + secret + "x").getBytes(
                            StandardCharsets.UTF_8)), "Content-Type", "application/json"), "{}").statusCode())
                    .isEqualTo(401);
            assertThat(send(app, "POST", "/v1/usage_events", Map.of("X-Mantle-App-Id", appId,
                    "X-Mantle-App-Api-Key", apiKey + "x", "Content-Type", "application/json"), "{}").statusCode())
                    .isEqualTo(401);
            assertThat(send(app, "GET", "/admin/accounts", Map.of("Authorization", "Bearer "
                    + AppProcess.ADMIN_TOKEN + "x"), null).statusCode()).isEqualTo(401);
            app.terminate(Duration.ofSeconds(30));

            String log = Files.readString(app.log());
            assertThat(log).contains("Embedded PostgreSQL").contains("/api/usage-events");
            for (String s : secrets) {
                assertThat(log).as("the log holds no secret").doesNotContain(s);
            }
        }
    }
}
