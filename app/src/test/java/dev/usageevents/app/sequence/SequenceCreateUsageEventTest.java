package dev.usageevents.app.sequence;

import static dev.usageevents.app.sequence.SequenceTestClient.EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SequenceCreateUsageEventTest {

    static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Test
    void theVendorsExampleSentVerbatimGetsTheVendorsAnswer() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String request = SequenceTestClient.resource(SequenceTestClient.SEED_REQUEST);

        ExtractableResponse<Response> created = client.post(request);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.contentType()).startsWith("application/json");
        String id = created.path("id");
        assertThat(id).matches(UUID_V7);
        // The seed's answer with this service's id and account id is exactly the body, field order included.
        ObjectNode expected = (ObjectNode) tree(SequenceTestClient.resource(SequenceTestClient.SEED_RESPONSE));
        expected.put("id", id).put("sequenceAccountId", client.accountId);
        assertThat(created.asString()).isEqualTo(expected.toString());
        JsonNode length = tree(created.asString()).get("eventProperties").get("length");
        assertThat(length.isIntegralNumber()).as("length stays the number 500").isTrue();
        assertThat(length.intValue()).isEqualTo(500);
        assertThat(created.header("Location")).endsWith(EVENTS + "/" + id);
    }

    @Test
    void generatesTheCustomerEventIdAndTheTimestampWhenAbsent() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        Instant before = Instant.now().minusMillis(1);

        ExtractableResponse<Response> created = client.post("{\"customerAlias\":\"c\",\"eventType\":\"t\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat((String) created.path("customerEventId")).isNotBlank().isNotEqualTo(created.path("id"));
        assertThat(tree(created.asString()).get("eventProperties")).isEqualTo(JSON.createObjectNode());
        Instant timestamp = Instant.parse(created.path("eventTimestamp"));
        assertThat(timestamp).isBetween(before, Instant.now().plusMillis(1));
        assertThat((String) created.path("eventTimestamp")).endsWith("Z");
    }

    @Test
    void readsIso8601WithOffsetsAndFractionsAndWritesUtcWithZ() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        List<String[]> cases = List.of(
                new String[] {"2022-10-01T02:00:00+02:00", "2022-10-01T00:00:00Z"},
                new String[] {"2022-10-01T02:00:00+0200", "2022-10-01T00:00:00Z"},
                new String[] {"2022-09-30T19:00:00-05", "2022-10-01T00:00:00Z"},
                new String[] {"2022-10-01T00:00:00.000Z", "2022-10-01T00:00:00Z"},
                new String[] {"2022-10-01T00:00:00.5Z", "2022-10-01T00:00:00.500Z"},
                new String[] {"2022-10-01T05:30:00.123456789+05:30", "2022-10-01T00:00:00.123Z"},
                new String[] {"2022-10-01t00:00:00z", "2022-10-01T00:00:00Z"});
        for (String[] c : cases) {
            client.request().contentType("application/json")
                    .body("{\"customerAlias\":\"c\",\"eventType\":\"t\",\"eventTimestamp\":\"" + c[0] + "\"}")
                    .when().post(EVENTS)
                    .then().statusCode(201).body("eventTimestamp", equalTo(c[1]));
        }
    }

    @Test
    void propertiesKeepTheirJsonTypesOnTheWayInAndOut() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String properties = "{\"int\":500,\"negative\":-3,\"long\":9007199254740993,"
                + "\"big\":123456789012345678901234567890,\"decimal\":0.50,\"exponent\":1.5e3,\"yes\":true,"
                + "\"no\":false,\"nothing\":null,\"text\":\"caf\\u00e9 \\\"quoted\\\"\",\"list\":[1,\"a\",{\"b\":2}],"
                + "\"nested\":{\"c\":{\"d\":[]}}}";

        ExtractableResponse<Response> created = client.post(
                "{\"customerAlias\":\"c\",\"eventType\":\"t\",\"eventProperties\":" + properties + "}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = created.path("id");
        String read = client.request().when().get(EVENTS + "/" + id).then().statusCode(200).extract().asString();

        for (String body : List.of(created.asString(), read)) {
            JsonNode p = tree(body).get("eventProperties");
            assertThat(p.get("int").isInt()).isTrue();
            assertThat(p.get("int").intValue()).isEqualTo(500);
            assertThat(p.get("negative").intValue()).isEqualTo(-3);
            assertThat(p.get("long").longValue()).isEqualTo(9007199254740993L);
            assertThat(p.get("big").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
            assertThat(p.get("decimal").decimalValue()).isEqualByComparingTo(new BigDecimal("0.5"));
            assertThat(p.get("exponent").decimalValue()).isEqualByComparingTo(new BigDecimal("1500"));
            assertThat(p.get("yes").booleanValue()).isTrue();
            assertThat(p.get("no").isBoolean()).isTrue();
            assertThat(p.get("nothing").isNull()).isTrue();
            assertThat(p.get("text").textValue()).isEqualTo("café \"quoted\"");
            assertThat(p.get("list")).isEqualTo(tree("[1,\"a\",{\"b\":2}]"));
            assertThat(p.get("nested")).isEqualTo(tree("{\"c\":{\"d\":[]}}"));
            assertThat(p.size()).isEqualTo(12);
        }
    }

    @Test
    void aNewEventWithTheSameCustomerEventIdSupersedesTheOldOne() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String first = "{\"customerEventId\":\"e-1\",\"customerAlias\":\"c\",\"eventType\":\"t\","
                + "\"eventTimestamp\":\"2024-01-01T00:00:00Z\",\"eventProperties\":{\"n\":1}}";
        String second = first.replace("{\"n\":1}", "{\"n\":2}");
        String other = client.create("c", "t", "2024-01-02T00:00:00Z", "e-2");

        String oldId = client.post(first).path("id");
        ExtractableResponse<Response> superseding = client.post(second);

        assertThat(superseding.statusCode()).isEqualTo(201);
        String newId = superseding.path("id");
        assertThat(newId).isNotEqualTo(oldId);
        assertThat((Integer) superseding.path("eventProperties.n")).isEqualTo(2);
        assertThat((String) superseding.path("customerEventId")).isEqualTo("e-1");
        // Lists show only the current version.
        client.request().queryParam("eventId", "e-1").when().get(EVENTS)
                .then().statusCode(200)
                .body("items.id", equalTo(List.of(newId)))
                .body("pagination.totalResultSize", equalTo(1));
        client.request().when().get(EVENTS)
                .then().statusCode(200)
                .body("items.id", equalTo(List.of(other, newId)))
                .body("pagination.totalResultSize", equalTo(2));
        // The old version stays readable by its id, as it was.
        client.request().when().get(EVENTS + "/" + oldId)
                .then().statusCode(200).body("id", equalTo(oldId)).body("eventProperties.n", equalTo(1));
        // Changing only the timestamp is a new version too.
        String third = client.post(second.replace("2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z")).path("id");
        assertThat(third).isNotIn(oldId, newId);
        assertThat(client.count()).isEqualTo(2);
    }

    @Test
    void anExactReplayReturnsTheStoredEventAndStoresNothing() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String event = "{\"customerEventId\":\"r-1\",\"customerAlias\":\"c\",\"eventType\":\"t\","
                + "\"eventTimestamp\":\"2024-01-01T00:00:00Z\",\"eventProperties\":{\"a\":1,\"b\":{\"c\":true}}}";
        ExtractableResponse<Response> original = client.post(event);
        String id = original.path("id");

        // The same usage, written differently: other key order, offset time, 1.0 for 1.
        String sameUsage = "{\"eventProperties\":{\"b\":{\"c\":true},\"a\":1.0},\"eventType\":\"t\","
                + "\"eventTimestamp\":\"2024-01-01T01:00:00+01:00\",\"customerAlias\":\"c\",\"customerEventId\":\"r-1\"}";
        for (String replay : List.of(event, sameUsage)) {
            ExtractableResponse<Response> answer = client.post(replay);
            assertThat(answer.statusCode()).isEqualTo(201);
            assertThat((String) answer.path("id")).isEqualTo(id);
            assertThat(tree(answer.asString())).isEqualTo(tree(original.asString()));
        }
        client.request().queryParam("eventId", "r-1").when().get(EVENTS)
                .then().statusCode(200).body("items.id", equalTo(List.of(id)));
        assertThat(client.count()).isEqualTo(1);
    }

    @Test
    void aRetryWithoutTimestampIsAReplayOfTheEventItCreated() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String event = "{\"customerEventId\":\"r-2\",\"customerAlias\":\"c\",\"eventType\":\"t\"}";
        ExtractableResponse<Response> original = client.post(event);

        ExtractableResponse<Response> retry = client.post(event);

        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat((String) retry.path("id")).isEqualTo(original.path("id"));
        assertThat((String) retry.path("eventTimestamp")).isEqualTo(original.path("eventTimestamp"));
        assertThat(client.count()).isEqualTo(1);
    }

    @Test
    void eventsAreScopedToTheirAccount() {
        SequenceTestClient one = SequenceTestClient.newAccount();
        SequenceTestClient two = SequenceTestClient.newAccount();
        String event = "{\"customerEventId\":\"shared\",\"customerAlias\":\"c\",\"eventType\":\"t\","
                + "\"eventTimestamp\":\"2024-01-01T00:00:00Z\"}";

        String first = one.post(event).path("id");
        ExtractableResponse<Response> second = two.post(event.replace("\"c\"", "\"d\""));

        assertThat(second.statusCode()).isEqualTo(201);
        assertThat((String) second.path("sequenceAccountId")).isEqualTo(two.accountId);
        one.request().when().get(EVENTS + "/" + first)
                .then().statusCode(200).body("customerAlias", equalTo("c"))
                .body("sequenceAccountId", equalTo(one.accountId))
                .body("id", not(equalTo(second.path("id"))));
        assertThat(one.count()).isEqualTo(1);
        assertThat(two.count()).isEqualTo(1);
    }

    @Test
    void acceptsTheBodyWhateverItsDeclaredContentType() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        for (String contentType : List.of("application/x-www-form-urlencoded", "text/plain")) {
            client.request().contentType(contentType).body("{\"customerAlias\":\"c\",\"eventType\":\"" + contentType + "\"}")
                    .when().post(EVENTS)
                    .then().statusCode(201).body("eventType", equalTo(contentType))
                    .body("id", matchesPattern(UUID_V7));
        }
        assertThat(client.count()).isEqualTo(2);
    }
}
