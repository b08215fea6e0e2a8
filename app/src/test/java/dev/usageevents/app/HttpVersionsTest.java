package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.testing.TestAccount;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bodies of both schemas, small, empty and large, over HTTP/1.1 and HTTP/2 (h2c): the service reads them
 * itself over HTTP/1.1 and leaves them to RESTEasy over HTTP/2, and each way must give the same answers.
 */
@QuarkusTest
class HttpVersionsTest {

    @TestHTTPResource("/")
    URI base;

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void bodiesAreReadWholeOverEitherVersion(HttpClient.Version version) throws Exception {
        TestAccount account = TestAccount.create("versions");
        String basic = account.sequenceAuthorization();
        String appId = account.mantleAppId();
        String apiKey = account.mantleApiKey();
        HttpClient client = HttpClient.newBuilder().version(version).build();
        client.send(HttpRequest.newBuilder(base.resolve("/q/health/live")).build(),
                HttpResponse.BodyHandlers.discarding());
        String thousand = IntStream.range(0, 1000)
                .mapToObj(i -> "{\"eventId\":\"v-" + version + "-" + i + "\",\"eventName\":\"api-call\","
                        + "\"customerId\":\"c\",\"properties\":{\"note\":\"" + "x".repeat(40) + "\"}}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));

        HttpResponse<String> created = post(client, "/api/usage-events", "{\"customerAlias\":\"c\","
                + "\"eventType\":\"api-call\"}", "Authorization", basic);
        HttpResponse<String> empty = post(client, "/api/usage-events", "", "Authorization", basic);
        HttpResponse<String> batch = post(client, "/v1/usage_events", thousand, "X-Mantle-App-Id", appId,
                "X-Mantle-App-Api-Key", apiKey);
        HttpResponse<String> emptyIdentify = post(client, "/v1/identify", "", "X-Mantle-App-Id", appId,
                "X-Mantle-App-Api-Key", apiKey);

        assertThat(created.version()).isEqualTo(version);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(400);
        assertThat(empty.body()).contains("The request body is empty");
        assertThat(thousand.length()).isGreaterThan(50_000);
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        assertThat(emptyIdentify.statusCode()).as(emptyIdentify.body()).isEqualTo(400);
        assertThat(given().header("X-Mantle-App-Id", appId).header("X-Mantle-App-Api-Key", apiKey)
                .when().get("/v1/usage_events?take=1").then().statusCode(200).extract().<Integer>path("total"))
                .as("the Sequence event and the Mantle batch").isEqualTo(1001);
    }

    private HttpResponse<String> post(HttpClient client, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
