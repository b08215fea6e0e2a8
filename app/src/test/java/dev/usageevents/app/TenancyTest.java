package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Every read, list, get and supersede stays inside the caller's account, whatever ids it names. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TenancyTest {

    private static RequestSpecification sequence(ExtractableResponse<Response> account) {
        String credentials = account.path("sequence.clientId") + ":" + account.path("sequence.clientSecret");
        return given().header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private static RequestSpecification mantle(ExtractableResponse<Response> account) {
        return given().header("X-Mantle-App-Id", (String) account.path("mantle.appId"))
                .header("X-Mantle-App-Api-Key", (String) account.path("mantle.apiKey"));
    }

    private static String post(ExtractableResponse<Response> account, String eventId, int length) {
        return sequence(account).contentType(ContentType.JSON)
                .body("{\"customerEventId\":\"" + eventId + "\",\"customerAlias\":\"shared-customer\","
                        + "\"eventType\":\"message-sent\",\"eventProperties\":{\"length\":" + length + "}}")
                .when().post("/api/usage-events").then().statusCode(201).extract().path("id");
    }

    @Test
    void anotherAccountCanNeitherReadNorSupersedeMyEvents() {
        ExtractableResponse<Response> mine = AdminAccountsTest.createAccount("tenant mine");
        ExtractableResponse<Response> theirs = AdminAccountsTest.createAccount("tenant theirs");
        String myEvent = post(mine, "same-event-id", 1);

        String theirEvent = post(theirs, "same-event-id", 2);

        sequence(mine).when().get("/api/usage-events/" + myEvent).then().statusCode(200)
                .body("eventProperties.length", equalTo(1));
        sequence(theirs).when().get("/api/usage-events/" + myEvent).then().statusCode(404);
        sequence(mine).when().get("/api/usage-events/" + theirEvent).then().statusCode(404);
        sequence(mine).when().get("/api/usage-events?eventId=same-event-id").then().statusCode(200)
                .body("items.id", contains(myEvent))
                .body("pagination.totalResultSize", equalTo(1));
        sequence(theirs).when().get("/api/usage-events?customerAlias=shared-customer").then().statusCode(200)
                .body("items.id", contains(theirEvent));
        mantle(theirs).when().get("/v1/usage_events?customerId=shared-customer").then().statusCode(200)
                .body("events.id", contains(theirEvent))
                .body("events.id", not(contains(myEvent)));

        mantle(theirs).contentType(ContentType.JSON)
                .body("{\"customerId\":\"shared-customer\",\"eventId\":\"mantle-only\",\"eventName\":\"x\"}")
                .when().post("/v1/usage_events").then().statusCode(200);
        mantle(mine).when().get("/v1/usage_events?eventName=x").then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void oneAccountsCustomerTokenDoesNotOpenAnotherAccount() {
        ExtractableResponse<Response> mine = AdminAccountsTest.createAccount("token mine");
        ExtractableResponse<Response> theirs = AdminAccountsTest.createAccount("token theirs");
        String token = mantle(mine).contentType(ContentType.JSON)
                .body("{\"platform\":\"stripe\",\"platformId\":\"cus_1\"}")
                .when().post("/v1/identify").then().statusCode(200).extract().path("apiToken");

        given().header("X-Mantle-App-Id", (String) theirs.path("mantle.appId"))
                .header("X-Mantle-Customer-Api-Token", token).contentType(ContentType.JSON)
                .body("{\"eventName\":\"x\"}")
                .when().post("/v1/usage_events").then().statusCode(401);
        mantle(theirs).when().get("/v1/usage_events?customerId=cus_1").then().statusCode(200)
                .body("total", equalTo(0));
    }
}
