package dev.usageevents.app.sequence;

import static dev.usageevents.app.sequence.SequenceTestClient.EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SequenceListAndGetUsageEventsTest {

    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

    /** Events at T0, T0+1s, ... with the given customer and type; returns their ids in timestamp order. */
    private static List<String> createSeries(SequenceTestClient client, int count, int offsetSeconds,
            String customer, String type) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(client.create(customer, type, T0.plusSeconds(offsetSeconds + i).toString(), null));
        }
        return ids;
    }

    private static List<String> ids(SequenceTestClient client, Map<String, ?> query) {
        return client.request().queryParams(query).when().get(EVENTS)
                .then().statusCode(200).extract().path("items.id");
    }

    private static List<String> reversed(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        Collections.reverse(copy);
        return copy;
    }

    @Test
    void listsNewestFirstByDefaultWithTwentyPerPage() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        List<String> created = createSeries(client, 23, 0, "c", "t");

        ExtractableResponse<Response> page = client.request().when().get(EVENTS).then().statusCode(200).extract();

        assertThat(page.<List<String>>path("items.id")).isEqualTo(reversed(created).subList(0, 20));
        assertThat(page.<Integer>path("pagination.totalResultSize")).isEqualTo(23);
        assertThat(page.<String>path("pagination.after")).isNotBlank();
        assertThat(page.<Object>path("pagination.before")).isNull();
        assertThat(page.<String>path("items[0].sequenceAccountId")).isEqualTo(client.accountId);
        assertThat(ids(client, Map.of("sortOrder", "ASC", "limit", 100))).isEqualTo(created);
        assertThat(ids(client, Map.of("sortOrder", "desc", "limit", 3))).isEqualTo(reversed(created).subList(0, 3));
    }

    @Test
    void filtersByCustomerTypeEventIdAndExclusiveTimeBounds() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        List<String> a = createSeries(client, 3, 0, "alice", "message-sent");
        List<String> b = createSeries(client, 3, 10, "bob", "message-sent");
        List<String> c = createSeries(client, 2, 20, "alice", "call-made");
        String tagged = client.create("carol", "message-sent", T0.plusSeconds(30).toString(), "my-event-1");

        assertThat(ids(client, Map.of("customerAlias", "alice", "sortOrder", "ASC")))
                .isEqualTo(List.of(a.get(0), a.get(1), a.get(2), c.get(0), c.get(1)));
        assertThat(ids(client, Map.of("eventType", "call-made", "sortOrder", "ASC"))).isEqualTo(c);
        assertThat(ids(client, Map.of("customerAlias", "alice", "eventType", "message-sent", "sortOrder", "ASC")))
                .isEqualTo(a);
        assertThat(ids(client, Map.of("eventId", "my-event-1"))).isEqualTo(List.of(tagged));
        assertThat(ids(client, Map.of("customerAlias", "nobody"))).isEmpty();
        // Bounds are exclusive: the events exactly at T0+10s and T0+12s are left out.
        assertThat(ids(client, Map.of("eventTimestampAfter", T0.plusSeconds(10).toString(),
                "eventTimestampBefore", T0.plusSeconds(12).toString(), "sortOrder", "ASC")))
                .isEqualTo(List.of(b.get(1)));
        assertThat(ids(client, Map.of("eventTimestampAfter", "2024-03-01T00:00:09.999Z",
                "eventTimestampBefore", "2024-03-01T00:00:12.001Z", "sortOrder", "ASC"))).isEqualTo(b);
        assertThat(ids(client, Map.of("eventTimestampAfter", "2024-03-01T01:00:20+01:00", "sortOrder", "ASC")))
                .isEqualTo(List.of(c.get(1), tagged));
        assertThat(ids(client, Map.of("eventTimestampBefore", T0.plusSeconds(1).toString()))).isEqualTo(List.of(a.get(0)));
        client.request().queryParam("customerAlias", "alice").queryParam("limit", 2).when().get(EVENTS)
                .then().statusCode(200).body("pagination.totalResultSize", equalTo(5));
    }

    @Test
    void aTimeRangeWithNoMillisecondInsideIsEmptyNotAnError() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        createSeries(client, 2, 0, "c", "t");

        client.request().queryParam("eventTimestampAfter", T0.toString())
                .queryParam("eventTimestampBefore", "2024-03-01T00:00:00.001Z")
                .when().get(EVENTS)
                .then().statusCode(200)
                .body("items.size()", equalTo(0))
                .body("pagination.totalResultSize", equalTo(0))
                .body("pagination.after", nullValue())
                .body("pagination.before", nullValue());
    }

    @Test
    void pagesForwardWithAfterAndBackWithBeforeWithoutDuplicatesOrGaps() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        // Two events share each timestamp: the id breaks the tie, and must not lose or repeat one.
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            created.add(client.create("c", "t", T0.plusSeconds(i / 2).toString(), null));
        }
        for (String order : List.of("DESC", "ASC")) {
            List<List<String>> forward = new ArrayList<>();
            String after = null;
            String before = null;
            do {
                Map<String, Object> query = new LinkedHashMap<>(Map.of("limit", 5, "sortOrder", order));
                if (after != null) {
                    query.put("after", after);
                }
                ExtractableResponse<Response> page = client.request().queryParams(query).when().get(EVENTS)
                        .then().statusCode(200).body("pagination.totalResultSize", equalTo(23)).extract();
                forward.add(page.path("items.id"));
                if (after == null) {
                    assertThat(page.<Object>path("pagination.before")).as("first page").isNull();
                }
                after = page.path("pagination.after");
                before = page.path("pagination.before");
            } while (after != null);

            assertThat(forward).extracting(List::size).containsExactly(5, 5, 5, 5, 3);
            List<String> seen = forward.stream().flatMap(List::stream).toList();
            // Ids are UUIDv7, increasing with creation: the tie-break keeps creation order.
            assertThat(seen).isEqualTo(order.equals("ASC") ? created : reversed(created));

            List<List<String>> backward = new ArrayList<>();
            while (before != null) {
                ExtractableResponse<Response> page = client.request().queryParam("limit", 5)
                        .queryParam("sortOrder", order).queryParam("before", before)
                        .when().get(EVENTS).then().statusCode(200).extract();
                backward.add(page.path("items.id"));
                assertThat(page.<String>path("pagination.after")).as("a page before another has one after it")
                        .isNotNull();
                before = page.path("pagination.before");
            }
            List<List<String>> expectedBackward = new ArrayList<>(forward.subList(0, forward.size() - 1));
            Collections.reverse(expectedBackward);
            assertThat(backward).as(order).isEqualTo(expectedBackward);
        }
    }

    @Test
    void pagingStaysStableWhileEventsArrive() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        List<String> created = createSeries(client, 12, 100, "c", "t");
        List<String> newer = new ArrayList<>();
        List<String> older = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            ExtractableResponse<Response> page = client.request().queryParam("limit", 4)
                    .queryParams(after == null ? Map.of() : Map.of("after", after))
                    .when().get(EVENTS).then().statusCode(200).extract();
            seen.addAll(page.path("items.id"));
            after = page.path("pagination.after");
            // Between two pages (newest first), one event arrives before the pages read so far, one after all.
            newer.add(client.create("c", "t", T0.plusSeconds(1000 + pages).toString(), null));
            older.add(client.create("c", "t", T0.plusSeconds(pages).toString(), null));
            pages++;
        } while (after != null && pages < 20);

        assertThat(after).as("the pages come to an end").isNull();
        assertThat(seen).doesNotHaveDuplicates().doesNotContainAnyElementsOf(newer);
        assertThat(seen.subList(0, 12)).as("no gap").isEqualTo(reversed(created));
        assertThat(older).containsAll(seen.subList(12, seen.size()));
    }

    @Test
    void getsAnEventByIdOnlyInItsOwnAccount() {
        SequenceTestClient owner = SequenceTestClient.newAccount();
        SequenceTestClient stranger = SequenceTestClient.newAccount();
        ExtractableResponse<Response> created = owner.post(SequenceTestClient.resource(SequenceTestClient.SEED_REQUEST));
        String id = created.path("id");

        owner.request().when().get(EVENTS + "/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("customerEventId", equalTo("event-id-H4twuTWpYx1rkd8OMTki2hTUcZ"))
                .body("customerAlias", equalTo("customer-id-2H4u5BBwBWsS5V2sroRFqJfTXpW"))
                .body("eventType", equalTo("message-sent"))
                .body("sequenceAccountId", equalTo(owner.accountId))
                .body("eventTimestamp", equalTo("2022-10-01T00:00:00Z"))
                .body("eventProperties.length", equalTo(500))
                .body("eventProperties.type", equalTo("text_message"))
                .body("size()", equalTo(7));
        owner.request().when().get(EVENTS + "/" + id.toUpperCase()).then().statusCode(200).body("id", equalTo(id));
        stranger.request().when().get(EVENTS + "/" + id)
                .then().statusCode(404).body("error.type", equalTo("NotFound"));
        for (String missing : List.of("0190a8e0-0000-7000-8000-000000000000", "not-a-uuid", "1-1-1-1-1",
                id + "0", "%00")) {
            owner.request().urlEncodingEnabled(false).when().get(EVENTS + "/" + missing)
                    .then().statusCode(404)
                    .header("Sequence-Version", "2024-07-30")
                    .body("error.type", equalTo("NotFound"));
        }
    }
}
