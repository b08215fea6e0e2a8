package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.usageevents.app.testing.TestAccount;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The assembled app, end to end, as a Mantle app uses it: an operator creates the account, the app's server
 * identifies its customer, the customer's browser sends both examples of the vendor page byte for byte, and the
 * app's server reads the events back.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MantleSeedEndToEndTest {

    @Test
    void identifyThenBothSeedExamplesThenReadBack() throws IOException {
        TestAccount account = TestAccount.create("Mantle end to end");
        String appId = account.mantleAppId();
        String apiKey = account.mantleApiKey();

        String token = given().header("X-Mantle-App-Id", appId).header("X-Mantle-App-Api-Key", apiKey)
                .contentType(ContentType.JSON)
                .body("{\"platform\":\"shopify\",\"platformId\":\"string\","
                        + "\"myshopifyDomain\":\"string.myshopify.com\"}")
                .when().post("/v1/identify").then().statusCode(200).extract().path("apiToken");
        assertThat(token).isNotBlank().doesNotContain(apiKey);

        for (String example : List.of("mantle-seed/single-event.json", "mantle-seed/multiple-events.json")) {
            given().header("X-Mantle-App-Id", appId).header("X-Mantle-Customer-Api-Token", token)
                    .header("Content-Type", "application/json").body(seed(example))
                    .when().post("/v1/usage_events")
                    .then().statusCode(200).body("success", equalTo(true));
        }

        ExtractableResponse<Response> list = given().header("X-Mantle-App-Id", appId)
                .header("X-Mantle-App-Api-Key", apiKey)
                .when().get("/v1/usage_events").then().statusCode(200).extract();
        assertThat(list.<Integer>path("total")).isEqualTo(1);
        List<Map<String, Object>> events = list.path("events");
        assertThat(events).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("customerId", "string").containsEntry("eventId", "string")
                .containsEntry("eventName", "string").containsEntry("timestamp", "2024-03-01T17:47:04.000Z")
                .containsEntry("properties", Map.of("key", "value")));

        given().header("X-Mantle-App-Id", appId).header("X-Mantle-Customer-Api-Token", token)
                .when().get("/v1/usage_events").then().statusCode(200)
                .body("total", equalTo(1)).body("events[0].eventId", equalTo("string"));
    }

    private static byte[] seed(String name) throws IOException {
        try (InputStream in = MantleSeedEndToEndTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        }
    }
}
