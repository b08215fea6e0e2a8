package dev.usageevents.app.sequence;

import static dev.usageevents.app.sequence.SequenceTestClient.EVENTS;
import static dev.usageevents.app.sequence.SequenceUsageMetricsTest.METRICS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Counted values through the Sequence API, against the domain's implementation and PostgreSQL: exact decimals,
 * {@code periodEnd} inclusive, a supersede that moves an event to another customer, a void, {@code asOf}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SequenceUsageMetricsEndToEndTest {

    private static void send(SequenceTestClient client, String eventId, String customer, String timestamp,
            String length) {
        client.request().contentType(ContentType.JSON)
                .body("{\"customerEventId\":\"" + eventId + "\",\"customerAlias\":\"" + customer
                        + "\",\"eventType\":\"message-sent\",\"eventTimestamp\":\"" + timestamp
                        + "\",\"eventProperties\":{\"length\":" + length + ",\"type\":\"text\"}}")
                .when().post(EVENTS).then().statusCode(201);
    }

    private static JsonPath calculate(SequenceTestClient client, String id, String customers, String asOf) {
        return client.request().queryParam("customerAliases", customers).queryParam("periodStart", "2024-01-01")
                .queryParam("periodEnd", "2024-01-31").queryParams(asOf == null ? java.util.Map.of()
                        : java.util.Map.of("asOf", asOf))
                .when().get(METRICS + "/" + id + "/calculate").then().statusCode(200).extract().jsonPath();
    }

    private static BigDecimal value(JsonPath answer) {
        return new BigDecimal(answer.getString("value"));
    }

    @Test
    void sumsExactlyOverTheInclusivePeriodAndFollowsSupersedesAndVoids() throws InterruptedException {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String id = SequenceUsageMetricsTest.create(client,
                SequenceUsageMetricsTest.metric("chars", "SUM", "length"));
        for (int i = 0; i < 10; i++) {
            send(client, "tenth-" + i, "a", "2024-01-01T00:00:0" + i + "Z", "0.1");
        }
        send(client, "last-day", "a", "2024-01-31T23:59:59Z", "5");
        send(client, "next-month", "a", "2024-02-01T00:00:00Z", "100");
        send(client, "not-a-number", "a", "2024-01-15T00:00:00Z", "\"many\"");

        JsonPath before = calculate(client, id, "a", null);
        assertThat(value(before)).isEqualByComparingTo("6");
        assertThat(before.getLong("eventCount")).isEqualTo(11);
        assertThat(before.getLong("ignoredEventCount")).isEqualTo(1);
        assertThat(before.getString("minEventId")).isNotNull();
        assertThat(before.getString("maxEventId")).isNotNull().isNotEqualTo(before.getString("minEventId"));

        Thread.sleep(5);
        Instant beforeCorrections = Instant.now();
        Thread.sleep(5);
        send(client, "last-day", "b", "2024-01-31T23:59:59Z", "5");
        send(client, "tenth-0", "VOID", "2024-01-01T00:00:00Z", "0.1");

        assertThat(value(calculate(client, id, "a", null))).isEqualByComparingTo("0.9");
        assertThat(value(calculate(client, id, "b", null))).isEqualByComparingTo("5");
        assertThat(value(calculate(client, id, "a,b", null))).isEqualByComparingTo("5.9");
        assertThat(value(calculate(client, id, "a", beforeCorrections.toString()))).isEqualByComparingTo("6");
    }

    @Test
    void usageCutsWindowsInTheTimeZone() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String id = SequenceUsageMetricsTest.create(client,
                SequenceUsageMetricsTest.metric("messages", "COUNT", null));
        send(client, "e1", "a", "2024-03-30T23:30:00Z", "1");
        send(client, "e2", "a", "2024-03-31T21:59:00Z", "1");
        send(client, "e3", "b", "2024-03-31T22:00:00Z", "1");

        JsonPath usage = client.request().queryParam("from", "2024-03-31").queryParam("to", "2024-04-02")
                .queryParam("windowSize", "DAY").queryParam("timeZone", "Europe/Berlin")
                .when().get(METRICS + "/" + id + "/usage").then().statusCode(200).extract().jsonPath();

        assertThat(usage.getList("data.windowStart"))
                .containsExactly("2024-03-30T23:00:00Z", "2024-03-31T22:00:00Z");
        assertThat(usage.getList("data.eventCount", Long.class)).containsExactly(2L, 1L);
    }
}
