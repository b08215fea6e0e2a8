package dev.usageevents.app.sequence;

import static dev.usageevents.app.sequence.SequenceTestClient.EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} on a Sequence create: a retry gets the first answer, whatever the body's event id. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SequenceIdempotencyKeyTest {

    @Inject
    AgroalDataSource dataSource;

    private static final String NO_EVENT_ID = "{\"customerAlias\":\"c\",\"eventType\":\"t\",\"eventProperties\":{\"n\":1}}";

    private static ExtractableResponse<Response> post(SequenceTestClient client, String key, String body) {
        return client.request().header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post(EVENTS).then().extract();
    }

    @Test
    void aRetryOfAnEventWithoutIdGetsTheFirstAnswerAndStoresNothing() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String key = UUID.randomUUID().toString();

        ExtractableResponse<Response> first = post(client, key, NO_EVENT_ID);
        ExtractableResponse<Response> retry = post(client, key, NO_EVENT_ID);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.<String>path("id")).isEqualTo(first.path("id"));
        assertThat(retry.<String>path("customerEventId")).isEqualTo(first.path("customerEventId"));
        assertThat(retry.<String>path("eventTimestamp")).isEqualTo(first.path("eventTimestamp"));
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(client.count()).isEqualTo(1);
        assertThat(post(client, UUID.randomUUID().toString(), NO_EVENT_ID).<String>path("id"))
                .as("another key is another request").isNotEqualTo(first.path("id"));
        assertThat(client.count()).isEqualTo(2);
    }

    @Test
    void aRetryGetsTheFirstAnswerEvenWhenItsEventWasSupersededSince() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String key = UUID.randomUUID().toString();
        String v1 = "{\"customerAlias\":\"c\",\"eventType\":\"t\",\"customerEventId\":\"e1\",\"eventProperties\":{\"v\":1}}";
        String firstId = post(client, key, v1).path("id");
        String newer = client.post("{\"customerAlias\":\"c\",\"eventType\":\"t\",\"customerEventId\":\"e1\","
                + "\"eventProperties\":{\"v\":2}}").path("id");

        ExtractableResponse<Response> retry = post(client, key, v1);

        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.<String>path("id")).isEqualTo(firstId).isNotEqualTo(newer);
        assertThat(retry.<Integer>path("eventProperties.v")).isEqualTo(1);
        assertThat(client.count()).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndStoresNothing() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String key = UUID.randomUUID().toString();
        post(client, key, NO_EVENT_ID);

        ExtractableResponse<Response> other = post(client, key,
                "{\"customerAlias\":\"c\",\"eventType\":\"t\",\"eventProperties\":{\"n\":2}}");

        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.<String>path("error.type")).isEqualTo("IdempotencyKeyReused");
        assertThat(other.<String>path("error.message")).contains("Idempotency-Key");
        assertThat(client.count()).isEqualTo(1);
    }

    @Test
    void keysArePerAccount() {
        SequenceTestClient one = SequenceTestClient.newAccount();
        SequenceTestClient two = SequenceTestClient.newAccount();
        String key = UUID.randomUUID().toString();

        String first = post(one, key, NO_EVENT_ID).path("id");
        ExtractableResponse<Response> other = post(two, key,
                "{\"customerAlias\":\"x\",\"eventType\":\"t\",\"eventProperties\":{\"n\":9}}");

        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(other.<String>path("id")).isNotEqualTo(first);
        assertThat(one.count()).isEqualTo(1);
        assertThat(two.count()).isEqualTo(1);
    }

    @Test
    void aRefusedBodyDoesNotTakeTheKeyAndABadKeyIs400() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String key = UUID.randomUUID().toString();
        ExtractableResponse<Response> refused = post(client, key,
                "{\"customerAlias\":\"c\",\"eventType\":\"t\",\"eventTimestamp\":\"1999-01-01T00:00:00Z\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(post(client, key, NO_EVENT_ID).statusCode()).as("the corrected body").isEqualTo(201);

        ExtractableResponse<Response> badKey = post(client, "a key with spaces", NO_EVENT_ID);
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(badKey.<String>path("error.errors[0].field")).isEqualTo("Idempotency-Key");
        assertThat(post(client, "k".repeat(256), NO_EVENT_ID).statusCode()).isEqualTo(400);
        assertThat(client.count()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithOneKeyStoreOneEvent() throws Exception {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ExtractableResponse<Response>>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> post(client, key, NO_EVENT_ID));
            }
            List<String> ids = new ArrayList<>();
            for (Future<ExtractableResponse<Response>> answer : pool.invokeAll(calls)) {
                assertThat(answer.get().statusCode()).isEqualTo(201);
                ids.add(answer.get().path("id"));
            }
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(client.count()).isEqualTo(1);
        String eventId = client.request().when().get(EVENTS).then().extract().path("items[0].customerEventId");
        assertThat(versions(eventId)).as("versions stored, superseded ones included").isEqualTo(1);
    }

    private long versions(String eventId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from usage_events where event_id = ?")) {
            count.setString(1, eventId);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
