package dev.usageevents.app.mantle;

import static dev.usageevents.app.mantle.MantleApp.EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two examples of the vendor page ({@code shared/seeds/000_69a8ad9adc3f6ea6.txt}), their bodies byte for
 * byte, with real values in the headers: the customer token of a customer identified with platformId "string".
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MantleSeedExamplesTest {

    static final String SINGLE = MantleApp.resource("mantle-seed/single-event.json");
    static final String MULTIPLE = MantleApp.resource("mantle-seed/multiple-events.json");

    @Test
    void sendingASingleEvent() {
        MantleApp app = MantleApp.create("Seed single");
        String token = app.identify("string");

        app.customer(token).body(SINGLE).when().post(EVENTS)
                .then().statusCode(200).body(equalTo("{\"success\":true}"));

        assertTheSeedEventIsStored(app);
    }

    @Test
    void sendingMultipleEvents() {
        MantleApp app = MantleApp.create("Seed multiple");
        String token = app.identify("string");

        app.customer(token).body(MULTIPLE).when().post(EVENTS)
                .then().statusCode(200).body("success", equalTo(true));

        // Both events of the example carry eventId "string" and the same usage: the second is a replay.
        assertTheSeedEventIsStored(app);
    }

    @Test
    void theExamplesWorkWithTheAppApiKeyToo() {
        MantleApp app = MantleApp.create("Seed server side");

        app.server().body(SINGLE).when().post(EVENTS).then().statusCode(200).body("success", equalTo(true));
        app.server().body(MULTIPLE).when().post(EVENTS).then().statusCode(200).body("success", equalTo(true));

        assertTheSeedEventIsStored(app);
    }

    private static void assertTheSeedEventIsStored(MantleApp app) {
        ExtractableResponse<Response> list = app.server().when().get(EVENTS).then().statusCode(200).extract();
        assertThat(list.<Integer>path("total")).isEqualTo(1);
        assertThat(list.<Boolean>path("hasNextPage")).isFalse();
        List<Map<String, Object>> events = list.path("events");
        assertThat(events).hasSize(1);
        Map<String, Object> event = events.get(0);
        assertThat(event).containsEntry("customerId", "string").containsEntry("eventId", "string")
                .containsEntry("eventName", "string").containsEntry("timestamp", "2024-03-01T17:47:04.000Z")
                .containsEntry("properties", Map.of("key", "value"));
        assertThat((String) event.get("id"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}
