package dev.usageevents.app.sequence;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.usageevents.app.testing.TestAccount;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The vendor's page as a user would follow it against the assembled service on PostgreSQL: an operator
 * creates an account, the user sends the page's curl example with the account's Sequence credentials, and
 * reads the event back by id and in the list.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SequenceSeedEndToEndTest {

    @Test
    void theSeedExampleRoundTrips() {
        TestAccount account = TestAccount.create("Seed end to end");
        String accountId = account.id();
        String authorization = account.sequenceAuthorization();
        String request = SequenceTestClient.resource(SequenceTestClient.SEED_REQUEST);
        ObjectNode expected = (ObjectNode) SequenceCreateUsageEventTest.tree(
                SequenceTestClient.resource(SequenceTestClient.SEED_RESPONSE));

        // The page's call: POST with the credentials and Content-Type: application/json, its body byte for byte.
        ExtractableResponse<Response> created = given().header("Authorization", authorization)
                .header("Content-Type", "application/json").body(request.getBytes(StandardCharsets.UTF_8))
                .when().post(SequenceTestClient.EVENTS).then().statusCode(201)
                .header("Sequence-Version", "2024-07-30").extract();
        String id = created.path("id");
        expected.put("id", id).put("sequenceAccountId", accountId);
        assertThat(SequenceCreateUsageEventTest.tree(created.asString())).isEqualTo(expected);

        String read = given().header("Authorization", authorization)
                .when().get(SequenceTestClient.EVENTS + "/" + id).then().statusCode(200).extract().asString();
        assertThat(SequenceCreateUsageEventTest.tree(read)).isEqualTo(expected);

        ExtractableResponse<Response> listed = given().header("Authorization", authorization)
                .queryParam("customerAlias", "customer-id-2H4u5BBwBWsS5V2sroRFqJfTXpW")
                .queryParam("eventType", "message-sent")
                .when().get(SequenceTestClient.EVENTS).then().statusCode(200)
                .body("pagination.totalResultSize", equalTo(1)).extract();
        JsonNode list = SequenceCreateUsageEventTest.tree(listed.asString());
        assertThat(list.get("items")).containsExactly(expected);
        assertThat(list.get("pagination").get("after").isNull()).isTrue();
        assertThat(list.get("pagination").get("before").isNull()).isTrue();

        // Sending the page's example again (a client retry) changes nothing.
        given().header("Authorization", authorization).header("Content-Type", "application/json")
                .body(request.getBytes(StandardCharsets.UTF_8))
                .when().post(SequenceTestClient.EVENTS).then().statusCode(201).body("id", equalTo(id));
        given().header("Authorization", authorization).when().get(SequenceTestClient.EVENTS)
                .then().statusCode(200).body("pagination.totalResultSize", equalTo(1)).body("items[0].id", equalTo(id));
    }
}
