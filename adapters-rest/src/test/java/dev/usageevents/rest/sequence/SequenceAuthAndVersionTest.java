package dev.usageevents.rest.sequence;

import static dev.usageevents.rest.sequence.SequenceTestClient.EVENTS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.usageevents.rest.testing.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SequenceAuthAndVersionTest {

    private static final String EVENT = "{\"customerAlias\":\"c\",\"eventType\":\"t\"}";
    private static final String LATEST = "2024-07-30";

    /** The three operations, each as a request to send. */
    private static Map<String, Function<RequestSpecification, io.restassured.response.Response>> operations(
            String eventId) {
        Map<String, Function<RequestSpecification, io.restassured.response.Response>> calls = new LinkedHashMap<>();
        calls.put("create", r -> r.contentType(ContentType.JSON).body(EVENT).when().post(EVENTS));
        calls.put("list", r -> r.when().get(EVENTS));
        calls.put("get", r -> r.when().get(EVENTS + "/" + eventId));
        return calls;
    }

    @Test
    void refusesEveryOperationWithoutValidCredentials() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        SequenceTestClient other = SequenceTestClient.newAccount();
        String eventId = client.create("c", "t", null, null);
        Map<String, String> badAuthorizations = new LinkedHashMap<>();
        badAuthorizations.put("wrong scheme", "Bearer " + client.clientSecret);
        badAuthorizations.put("not Base64", "Basic %%%not-base64%%%");
        badAuthorizations.put("no colon", "Basic " + Base64.getEncoder()
                .encodeToString(client.clientId.getBytes(StandardCharsets.UTF_8)));
        badAuthorizations.put("no client id", SequenceTestClient.basic("", client.clientSecret));
        badAuthorizations.put("wrong secret", SequenceTestClient.basic(client.clientId, client.clientSecret + "x"));
        badAuthorizations.put("empty secret", SequenceTestClient.basic(client.clientId, ""));
        badAuthorizations.put("unknown client id", SequenceTestClient.basic("sqc_nobody", client.clientSecret));
        badAuthorizations.put("another account's id with this secret",
                SequenceTestClient.basic(other.clientId, client.clientSecret));
        badAuthorizations.put("the admin token", TestAccount.ADMIN);

        operations(eventId).forEach((operation, call) -> {
            call.apply(given()).then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Basic realm="))
                    .header("Sequence-Version", LATEST)
                    .body("error.type", equalTo("Unauthorized"))
                    .body("error.message", startsWith("Send your client id and secret"));
            badAuthorizations.forEach((name, authorization) ->
                    call.apply(given().header("Authorization", authorization)).then()
                            .statusCode(401)
                            .header("WWW-Authenticate", startsWith("Basic realm="))
                            .header("Sequence-Version", LATEST)
                            .body("error.type", equalTo("Unauthorized"))
                            .body("error.message", equalTo(
                                    "The Authorization header does not hold a valid client id and secret")));
        });
        assertThat(client.count()).isEqualTo(1);
        assertThat(other.count()).isZero();
    }

    @Test
    void acceptsTheSchemeInAnyCase() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String credentials = client.authorization().substring("Basic ".length());

        given().header("Authorization", "basic " + credentials).when().get(EVENTS).then().statusCode(200);
        given().header("Authorization", "BASIC " + credentials).when().get(EVENTS).then().statusCode(200);
    }

    @Test
    void answersWithTheLatestVersionWhenNoneIsAskedAndEchoesTheOneAsked() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String eventId = client.create("c", "t", null, null);

        operations(eventId).forEach((operation, call) -> {
            call.apply(client.request()).then().statusCode(operation.equals("create") ? 201 : 200)
                    .header("Sequence-Version", LATEST);
            call.apply(client.request().header("Sequence-Version", LATEST)).then()
                    .statusCode(operation.equals("create") ? 201 : 200)
                    .header("Sequence-Version", LATEST);
            call.apply(client.request().header("Sequence-Version", " ")).then()
                    .statusCode(operation.equals("create") ? 201 : 200)
                    .header("Sequence-Version", LATEST);
        });
    }

    @Test
    void refusesAnUnknownVersionBeforeAnythingElseAndStoresNothing() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String eventId = client.create("c", "t", null, null);

        for (String version : List.of("2017-01-01", "2024-07-31", "latest", "2024-07-30,2017-01-01")) {
            operations(eventId).forEach((operation, call) -> {
                for (RequestSpecification request : List.of(client.request(), given())) {
                    call.apply(request.header("Sequence-Version", version)).then()
                            .statusCode(400)
                            .contentType(ContentType.JSON)
                            .header("Sequence-Version", LATEST)
                            .body("error.type", equalTo("UnrecognisedApiVersion"))
                            .body("error.message", startsWith("Unrecognised API version '" + version + "'"));
                }
            });
        }
        assertThat(client.count()).isEqualTo(1);
    }

    @Test
    void echoesTheVersionOnErrorsToo() {
        SequenceTestClient client = SequenceTestClient.newAccount();

        client.request().header("Sequence-Version", LATEST).contentType(ContentType.JSON).body("{\"eventType\":1}")
                .when().post(EVENTS)
                .then().statusCode(400).header("Sequence-Version", LATEST).body("error.type", equalTo("ValidationError"));
        client.request().header("Sequence-Version", LATEST).when().get(EVENTS + "/0190a8e0-0000-7000-8000-000000000000")
                .then().statusCode(404).header("Sequence-Version", LATEST).body("error.type", equalTo("NotFound"));
        given().header("Sequence-Version", LATEST).when().get(EVENTS)
                .then().statusCode(401).header("Sequence-Version", LATEST);
        client.request().contentType(ContentType.JSON).body(EVENT).when().put(EVENTS)
                .then().statusCode(405).header("Sequence-Version", LATEST)
                .body("error.type", equalTo("MethodNotAllowed"));
        client.request().accept(ContentType.XML).when().get(EVENTS)
                .then().statusCode(406).header("Sequence-Version", LATEST)
                .body("error.type", equalTo("NotAcceptable"));
    }
}
