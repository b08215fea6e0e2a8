package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.usageevents.app.testing.TestAccount;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/** Every read, list, get and supersede stays inside the caller's account, whatever ids it names. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TenancyTest {

    private static RequestSpecification sequence(TestAccount account) {
        return account.sequence();
    }

    private static RequestSpecification mantle(TestAccount account) {
        return given().header("X-Mantle-App-Id", account.mantleAppId())
                .header("X-Mantle-App-Api-Key", account.mantleApiKey());
    }

    private static String post(TestAccount account, String eventId, int length) {
        return sequence(account).contentType(ContentType.JSON)
                .body("{\"customerEventId\":\"" + eventId + "\",\"customerAlias\":\"shared-customer\","
                        + "\"eventType\":\"message-sent\",\"eventProperties\":{\"length\":" + length + "}}")
                .when().post("/api/usage-events").then().statusCode(201).extract().path("id");
    }

    @Test
    void anotherAccountCanNeitherReadNorSupersedeMyEvents() {
        TestAccount mine = TestAccount.create("tenant mine");
        TestAccount theirs = TestAccount.create("tenant theirs");
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
        TestAccount mine = TestAccount.create("token mine");
        TestAccount theirs = TestAccount.create("token theirs");
        String token = mantle(mine).contentType(ContentType.JSON)
                .body("{\"platform\":\"stripe\",\"platformId\":\"cus_1\"}")
                .when().post("/v1/identify").then().statusCode(200).extract().path("apiToken");

        given().header("X-Mantle-App-Id", theirs.mantleAppId())
                .header("X-Mantle-Customer-Api-Token", token).contentType(ContentType.JSON)
                .body("{\"eventName\":\"x\"}")
                .when().post("/v1/usage_events").then().statusCode(401);
        mantle(theirs).when().get("/v1/usage_events?customerId=cus_1").then().statusCode(200)
                .body("total", equalTo(0));
    }
}
