package dev.usageevents.app.mantle;

import static dev.usageevents.app.mantle.MantleApp.EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/identify}, {@code POST} and {@code GET /v1/usage_events}: what a Mantle app sees. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MantleUsageEventsTest {

    private static final String T = "2024-03-01T17:47:04.000Z";

    private static Map<String, Object> only(ExtractableResponse<Response> list) {
        List<Map<String, Object>> events = list.path("events");
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static ExtractableResponse<Response> list(MantleApp app, String query) {
        return app.server().when().get(EVENTS + query).then().statusCode(200).extract();
    }

    private static String event(String eventId, String customerId, int value) {
        return "{\"eventId\":\"" + eventId + "\",\"eventName\":\"api-call\",\"customerId\":\"" + customerId
                + "\",\"timestamp\":1709315224000,\"properties\":{\"value\":" + value + "}}";
    }

    @Test
    void acceptsTheSnakeCaseAliases() {
        MantleApp app = MantleApp.create("Aliases");
        app.server().body("{\"event_id\":\"e-1\",\"event_name\":\"api-call\",\"customer_id\":\"cus_1\","
                + "\"timestamp\":1709315224000}").when().post(EVENTS).then().statusCode(200);
        app.server().body("{\"events\":[{\"eventId\":\"e-2\",\"event_id\":\"e-2\",\"event_name\":\"api-call\","
                + "\"customer_id\":\"cus_1\"}]}").when().post(EVENTS).then().statusCode(200);

        Map<String, Object> first = only(list(app, "?customerId=cus_1&startDate=2024-03-01&endDate=2024-03-01"));
        assertThat(first).containsEntry("eventId", "e-1").containsEntry("eventName", "api-call")
                .containsEntry("customerId", "cus_1").containsEntry("properties", Map.of());
        assertThat(list(app, "").<Integer>path("total")).isEqualTo(2);
    }

    @Test
    void takesTimestampsAsEpochMillisOrIso8601() {
        MantleApp app = MantleApp.create("Timestamps");
        Map<String, String> sent = Map.of(
                "millis", "1709315224123",
                "millis-as-string", "\"1709315224123\"",
                "iso-utc", "\"2024-03-01T17:47:04.123Z\"",
                "iso-offset", "\"2024-03-01T18:47:04.123+01:00\"",
                "iso-seconds", "\"2024-03-01T17:47:04Z\"",
                "iso-micros", "\"2024-03-01T17:47:04.123456Z\"");
        sent.forEach((id, timestamp) -> app.server().body("{\"eventId\":\"" + id + "\",\"eventName\":\"t\","
                + "\"customerId\":\"c\",\"timestamp\":" + timestamp + "}").when().post(EVENTS).then().statusCode(200));
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        app.server().body("{\"eventId\":\"absent\",\"eventName\":\"t\",\"customerId\":\"c\"}")
                .when().post(EVENTS).then().statusCode(200);

        List<Map<String, Object>> events = list(app, "?take=100").path("events");
        Map<String, String> stored = events.stream()
                .collect(Collectors.toMap(e -> (String) e.get("eventId"), e -> (String) e.get("timestamp")));
        assertThat(stored).containsEntry("millis", "2024-03-01T17:47:04.123Z")
                .containsEntry("millis-as-string", "2024-03-01T17:47:04.123Z")
                .containsEntry("iso-utc", "2024-03-01T17:47:04.123Z")
                .containsEntry("iso-offset", "2024-03-01T17:47:04.123Z")
                .containsEntry("iso-seconds", "2024-03-01T17:47:04.000Z")
                .containsEntry("iso-micros", "2024-03-01T17:47:04.123Z");
        assertThat(Instant.parse(stored.get("absent"))).isBetween(before, Instant.now());
    }

    @Test
    void aCustomerTokenStandsForItsCustomer() {
        MantleApp app = MantleApp.create("Token");
        String token = app.identify("cus_a");

        app.customer(token).body("{\"eventId\":\"e-1\",\"eventName\":\"page-view\",\"timestamp\":1709315224000}")
                .when().post(EVENTS).then().statusCode(200).body("success", equalTo(true));
        app.customer(token).body("{\"events\":[{\"eventName\":\"page-view\"},{\"eventName\":\"click\","
                + "\"customerId\":\"cus_a\"}]}").when().post(EVENTS).then().statusCode(200);

        ExtractableResponse<Response> all = list(app, "?customerId=cus_a");
        assertThat(all.<Integer>path("total")).isEqualTo(3);
        assertThat(all.<List<String>>path("events.customerId")).containsOnly("cus_a");
        app.customer(token).when().get(EVENTS).then().statusCode(200).body("total", equalTo(3));
    }

    @Test
    void aTokenCannotActForAnotherCustomer() {
        MantleApp app = MantleApp.create("Token scope");
        String tokenA = app.identify("cus_a");
        app.identify("cus_b");
        app.server().body(event("b-1", "cus_b", 1)).when().post(EVENTS).then().statusCode(200);

        app.customer(tokenA).body(event("e-1", "cus_b", 1)).when().post(EVENTS)
                .then().statusCode(403).body("error", equalTo("customerId names another customer than the one of "
                        + "the X-Mantle-Customer-Api-Token"))
                .body("details[0].field", equalTo("customerId"));
        app.customer(tokenA).body("{\"events\":[" + event("e-2", "cus_a", 1) + "," + event("e-3", "cus_b", 1) + "]}")
                .when().post(EVENTS).then().statusCode(403)
                .body("details.field", equalTo(List.of("events[1].customerId")));
        app.customer(tokenA).when().get(EVENTS + "?customerId=cus_b").then().statusCode(403)
                .body("details[0].field", equalTo("customerId"));
        app.customer(tokenA).when().get(EVENTS).then().statusCode(200).body("total", equalTo(0));
        app.customer(tokenA).body("{\"platform\":\"stripe\",\"platformId\":\"cus_a\"}").when().post("/v1/identify")
                .then().statusCode(403);

        assertThat(app.eventCount()).isEqualTo(1);
    }

    @Test
    void tokensAreScopedToTheirApp() {
        MantleApp app = MantleApp.create("Scoped app");
        MantleApp other = MantleApp.create("Other app");
        String token = app.identify("cus_a");

        other.customer(token).body(event("e-1", "cus_a", 1)).when().post(EVENTS).then().statusCode(401);
        given(other.appId(), token).when().get(EVENTS).then().statusCode(401);
        assertThat(app.eventCount()).isZero();
        assertThat(other.eventCount()).isZero();
    }

    private static RequestSpecification given(String appId, String token) {
        return RestAssured.given().header(MantleApp.APP_ID, appId).header(MantleApp.CUSTOMER_TOKEN, token);
    }

    @Test
    void identifyReturnsTheSameTokenUntilRotated() {
        MantleApp app = MantleApp.create("Rotation");
        String first = app.identify("cus_a");
        assertThat(app.identify("cus_a")).isEqualTo(first);

        String rotated = app.identify("cus_a", true);

        assertThat(rotated).isNotEqualTo(first);
        assertThat(app.identify("cus_a")).isEqualTo(rotated);
        app.customer(first).body(event("e-1", "cus_a", 1)).when().post(EVENTS).then().statusCode(401)
                .body("error", equalTo("Invalid X-Mantle-App-Id or X-Mantle-Customer-Api-Token"));
        app.customer(rotated).body(event("e-1", "cus_a", 1)).when().post(EVENTS).then().statusCode(200);
    }

    @Test
    void identifyTakesTheShopDomainAsReferenceAndIgnoresUnknownFields() {
        MantleApp app = MantleApp.create("Shopify");
        String token = app.server().body("{\"platform\":\"shopify\",\"myshopifyDomain\":\"acme.myshopify.com\","
                        + "\"name\":\"Acme\",\"email\":\"owner@acme.test\",\"platformPlanName\":\"basic\","
                        + "\"customFields\":{\"tier\":\"gold\",\"seats\":5},\"createdAt\":\"2023-01-01T00:00:00Z\","
                        + "\"accessToken\":\"shpat_not_kept\",\"tags\":[\"vip\"]}")
                .when().post("/v1/identify").then().statusCode(200).extract().path("apiToken");

        app.customer(token).body("{\"eventName\":\"order\"}").when().post(EVENTS).then().statusCode(200);
        assertThat(only(list(app, "")).get("customerId")).isEqualTo("acme.myshopify.com");
    }

    @Test
    void eventsOfCustomersNeverIdentifiedAreAcceptedWithTheApiKey() {
        MantleApp app = MantleApp.create("Unidentified");
        app.server().body(event("e-1", "never-identified", 1)).when().post(EVENTS).then().statusCode(200);
        assertThat(only(list(app, "?customerId=never-identified")).get("eventId")).isEqualTo("e-1");
    }

    @Test
    void aRepeatedEventIdKeepsTheFirstEventAndAReplayIsANoOp() {
        MantleApp app = MantleApp.create("Dedup");
        app.server().body(event("dup", "cus_1", 1)).when().post(EVENTS).then().statusCode(200);
        app.server().body(event("dup", "cus_1", 2)).when().post(EVENTS)
                .then().statusCode(200).body("success", equalTo(true));
        app.server().body(event("dup", "cus_1", 1)).when().post(EVENTS).then().statusCode(200);
        app.server().body("{\"events\":[" + event("dup", "cus_1", 3) + "," + event("fresh", "cus_1", 4) + "]}")
                .when().post(EVENTS).then().statusCode(200);

        ExtractableResponse<Response> list = list(app, "");
        assertThat(list.<Integer>path("total")).isEqualTo(2);
        List<Map<String, Object>> events = list.path("events");
        Map<String, Object> dup = events.stream().filter(e -> e.get("eventId").equals("dup")).findFirst().orElseThrow();
        assertThat(dup.get("properties")).isEqualTo(Map.of("value", 1));
    }

    @Test
    void aBatchWithOneBadEventStoresNothingAndNamesItsIndex() {
        MantleApp app = MantleApp.create("All or nothing");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(i == 7 ? "{\"eventId\":\"e-7\",\"customerId\":\"cus_1\"}" : event("e-" + i, "cus_1", i));
        }

        app.server().body("{\"events\":[" + String.join(",", events) + "]}").when().post(EVENTS)
                .then().statusCode(422)
                .body("error", equalTo("events[7].eventName is required"))
                .body("details.field", equalTo(List.of("events[7].eventName")));
        assertThat(app.eventCount()).isZero();

        events.set(7, event("e-7", "cus_1", 7));
        app.server().body("{\"events\":[" + String.join(",", events) + "]}").when().post(EVENTS)
                .then().statusCode(200);
        assertThat(app.eventCount()).isEqualTo(10);
    }

    @Test
    void takesABatchOfAThousand() {
        MantleApp app = MantleApp.create("Thousand");
        String batch = IntStream.range(0, 1000).mapToObj(i -> event("e-" + i, "cus-" + (i % 7), i))
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        app.server().body(batch).when().post(EVENTS).then().statusCode(200);
        assertThat(app.eventCount()).isEqualTo(1000);
    }

    @Test
    void listsPageByPageNewestFirstWithoutDuplicatesOrGaps() {
        MantleApp app = MantleApp.create("Paging");
        Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
        String batch = IntStream.range(0, 45)
                .mapToObj(i -> "{\"eventId\":\"e-" + i + "\",\"eventName\":\"" + (i % 3 == 0 ? "a" : "b")
                        + "\",\"customerId\":\"cus-" + (i % 2) + "\",\"timestamp\":"
                        + t0.plusSeconds(60L * (i / 2)).toEpochMilli() + "}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        app.server().body(batch).when().post(EVENTS).then().statusCode(200);

        List<String> seen = new ArrayList<>();
        List<String> timestamps = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ExtractableResponse<Response> page = list(app, "?take=20" + (cursor == null ? "" : "&cursor=" + cursor));
            pages++;
            assertThat(page.<Integer>path("total")).isEqualTo(45);
            seen.addAll(page.path("events.eventId"));
            timestamps.addAll(page.path("events.timestamp"));
            cursor = page.path("cursor");
            assertThat(page.<Boolean>path("hasNextPage")).isEqualTo(cursor != null);
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(45).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(IntStream.range(0, 45).mapToObj(i -> "e-" + i)
                .collect(Collectors.toSet()));
        assertThat(timestamps).isSortedAccordingTo((x, y) -> y.compareTo(x));
        assertThat(list(app, "").<List<?>>path("events")).hasSize(20);
    }

    @Test
    void filtersByCustomerNameAndInclusiveTimeRange() {
        MantleApp app = MantleApp.create("Filters");
        app.server().body("{\"events\":["
                + "{\"eventId\":\"1\",\"eventName\":\"a\",\"customerId\":\"x\","
                + "\"timestamp\":\"2024-03-01T00:00:00Z\"},"
                + "{\"eventId\":\"2\",\"eventName\":\"b\",\"customerId\":\"x\","
                + "\"timestamp\":\"2024-03-01T23:59:59.999Z\"},"
                + "{\"eventId\":\"3\",\"eventName\":\"a\",\"customerId\":\"y\","
                + "\"timestamp\":\"2024-03-02T00:00:00Z\"}"
                + "]}").when().post(EVENTS).then().statusCode(200);

        assertThat(ids(app, "?customerId=x")).containsExactly("2", "1");
        assertThat(ids(app, "?eventName=a")).containsExactly("3", "1");
        assertThat(ids(app, "?startDate=2024-03-01&endDate=2024-03-01")).containsExactly("2", "1");
        assertThat(ids(app, "?startDate=2024-03-01T23:59:59.999Z&endDate=2024-03-02T00:00:00Z"))
                .containsExactly("3", "2");
        assertThat(ids(app, "?endDate=1709251200000")).containsExactly("1");
        assertThat(ids(app, "?customerId=x&eventName=a")).containsExactly("1");
        assertThat(list(app, "?customerId=x&take=1").<Integer>path("total")).isEqualTo(2);
    }

    private static List<String> ids(MantleApp app, String query) {
        return list(app, query).path("events.eventId");
    }

    @Test
    void listsTheEventFieldsInMantleNaming() {
        MantleApp app = MantleApp.create("Shape");
        app.server().body("{\"eventId\":\"e-1\",\"eventName\":\"n\",\"customerId\":\"c\",\"timestamp\":\"" + T
                + "\",\"properties\":{\"int\":500,\"decimal\":0.25,\"nested\":{\"list\":[1,\"x\",null]}}}")
                .when().post(EVENTS).then().statusCode(200);

        Map<String, Object> event = only(list(app, ""));
        assertThat(event.keySet()).containsExactlyInAnyOrder("id", "eventId", "eventName", "customerId", "timestamp",
                "properties");
        assertThat(event.get("timestamp")).isEqualTo(T);
        String raw = list(app, "").asString();
        assertThat(raw).contains("\"int\":500").contains("\"decimal\":0.25").contains("\"cursor\":null");
        Set<String> keys = list(app, "").<Map<String, Object>>path("").keySet();
        assertThat(keys).containsExactlyInAnyOrder("events", "cursor", "hasNextPage", "total");
    }
}
