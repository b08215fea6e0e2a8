package dev.usageevents.rest.sequence;

import static io.restassured.RestAssured.given;

import dev.usageevents.rest.testing.TestAccount;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** One fresh account, created through the admin API, and calls of the Sequence API with its credentials. */
final class SequenceTestClient {

    static final String EVENTS = "/api/usage-events";

    final String accountId;
    final String clientId;
    final String clientSecret;

    private SequenceTestClient(String accountId, String clientId, String clientSecret) {
        this.accountId = accountId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    static SequenceTestClient newAccount() {
        TestAccount account = TestAccount.unique("sequence-test");
        return new SequenceTestClient(account.id(), account.sequenceClientId(), account.sequenceClientSecret());
    }

    static String basic(String clientId, String clientSecret) {
        return TestAccount.basic(clientId, clientSecret);
    }

    String authorization() {
        return basic(clientId, clientSecret);
    }

    /** A request with this account's credentials. */
    RequestSpecification request() {
        return given().header("Authorization", authorization());
    }

    /** POSTs a JSON body as given and answers whatever the service answers. */
    ExtractableResponse<Response> post(String json) {
        return post(json.getBytes(StandardCharsets.UTF_8));
    }

    ExtractableResponse<Response> post(byte[] body) {
        return request().contentType(ContentType.JSON).body(body).when().post(EVENTS).then().extract();
    }

    /** POSTs an event that must be stored (or replayed) and returns its id. */
    String create(String customerAlias, String eventType, String eventTimestamp, String customerEventId) {
        String json = "{\"customerAlias\":\"" + customerAlias + "\",\"eventType\":\"" + eventType + "\""
                + (eventTimestamp == null ? "" : ",\"eventTimestamp\":\"" + eventTimestamp + "\"")
                + (customerEventId == null ? "" : ",\"customerEventId\":\"" + customerEventId + "\"")
                + ",\"eventProperties\":{\"n\":1}}";
        return request().contentType(ContentType.JSON).body(json).when().post(EVENTS)
                .then().statusCode(201).extract().path("id");
    }

    /** The number of current events of the account, as the list reports it. */
    long count() {
        Number total = request().queryParam("limit", 1).when().get(EVENTS)
                .then().statusCode(200).extract().path("pagination.totalResultSize");
        return total.longValue();
    }

    static String resource(String path) {
        try (InputStream in = SequenceTestClient.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String SEED_REQUEST = "/seeds/sequence-create-usage-event.request.json";
    static final String SEED_RESPONSE = "/seeds/sequence-create-usage-event.response.json";
}
