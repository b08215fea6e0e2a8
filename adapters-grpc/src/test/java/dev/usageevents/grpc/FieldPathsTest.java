package dev.usageevents.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.FieldError;
import org.junit.jupiter.api.Test;

class FieldPathsTest {

    @Test
    void namesDomainFieldsAsTheProtoDoes() {
        assertThat(FieldPaths.protoName("customerId")).isEqualTo("customer_id");
        assertThat(FieldPaths.protoName("eventName")).isEqualTo("event_name");
        assertThat(FieldPaths.protoName("from")).isEqualTo("start_time");
        assertThat(FieldPaths.protoName("to")).isEqualTo("end_time");
        assertThat(FieldPaths.protoName("limit")).isEqualTo("limit");
        assertThat(FieldPaths.protoName("properties.itemCount[2].subTotal")).isEqualTo("properties.itemCount[2].subTotal");
    }

    @Test
    void placesErrorsInTheRequest() {
        FieldError ofEvent = FieldError.of("customerId", "must not be empty").at(3);
        FieldError ofBatch = FieldError.of("events", "must hold at least one event");

        assertThat(FieldPaths.batch("events").of(ofEvent)).isEqualTo("events[3].customer_id");
        assertThat(FieldPaths.batch("events").of(ofBatch)).isEqualTo("events");
        assertThat(FieldPaths.single("event").of(FieldError.of("eventId", "x").at(0))).isEqualTo("event.event_id");
        assertThat(FieldPaths.single("event").of(FieldError.of("supersedeRule", "x"))).isEqualTo("supersede_rule");
        assertThat(FieldPaths.request().of(FieldError.of("after", "x"))).isEqualTo("after");
    }
}
