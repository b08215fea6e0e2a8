package dev.usageevents.app.mantle;

import static dev.usageevents.app.mantle.MantleApp.EVENTS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A customer's browser, on the app's own origin, sends usage with the customer token. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MantleCorsTest {

    private static final String ORIGIN = "https://shop.example.com";

    private static List<String> lowerCaseList(String header) {
        return header == null ? List.of() : Arrays.stream(header.split(",")).map(s -> s.trim().toLowerCase()).toList();
    }

    @Test
    void thePreflightAllowsTheCustomerTokenHeaders() {
        ExtractableResponse<Response> preflight = given().header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-mantle-app-id,x-mantle-customer-api-token,content-type")
                .when().options(EVENTS)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ORIGIN))
                .extract();

        assertThat(lowerCaseList(preflight.header("Access-Control-Allow-Methods"))).contains("post", "get");
        assertThat(lowerCaseList(preflight.header("Access-Control-Allow-Headers")))
                .contains("x-mantle-app-id", "x-mantle-customer-api-token", "content-type")
                .doesNotContain("x-mantle-app-api-key", "authorization");
    }

    @Test
    void thePreflightDoesNotOfferTheAppApiKey() {
        ExtractableResponse<Response> preflight = given().header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-mantle-app-id,x-mantle-app-api-key")
                .when().options(EVENTS).then().extract();

        assertThat(lowerCaseList(preflight.header("Access-Control-Allow-Headers")))
                .doesNotContain("x-mantle-app-api-key");
    }

    @Test
    void aCrossOriginPostWithTheCustomerTokenIsStoredAndReadable() {
        MantleApp app = MantleApp.create("CORS");
        String token = app.identify("string");

        app.customer(token).header("Origin", ORIGIN)
                .body("{\"eventId\":\"from-browser\",\"eventName\":\"click\","
                        + "\"timestamp\":\"2024-03-01T17:47:04.000Z\"}")
                .when().post(EVENTS)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ORIGIN))
                .body("success", equalTo(true));
        app.customer(token).header("Origin", ORIGIN).when().get(EVENTS)
                .then().statusCode(200).header("Access-Control-Allow-Origin", equalTo(ORIGIN))
                .body("events[0].eventId", equalTo("from-browser")).body("events[0].customerId", equalTo("string"));
        app.customer(token).header("Origin", ORIGIN).body("{\"eventName\":\"\"}").when().post(EVENTS)
                .then().statusCode(422).header("Access-Control-Allow-Origin", equalTo(ORIGIN))
                .header("Content-Type", containsStringIgnoringCase("application/json"))
                .body("error", not(equalTo(null)));
        assertThat(app.eventCount()).isEqualTo(1);
    }
}
