package dev.usageevents.grpc;

import static dev.usageevents.grpc.GrpcTesting.at;
import static dev.usageevents.grpc.GrpcTesting.failure;
import static dev.usageevents.grpc.GrpcTesting.violations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.grpc.v1.CreateMeterRequest;
import dev.usageevents.grpc.v1.DeleteMeterRequest;
import dev.usageevents.grpc.v1.GetMeterRequest;
import dev.usageevents.grpc.v1.ListMetersRequest;
import dev.usageevents.grpc.v1.Meter;
import dev.usageevents.grpc.v1.MeterDefinition;
import dev.usageevents.grpc.v1.PropertyValues;
import dev.usageevents.grpc.v1.QueryMeterRequest;
import dev.usageevents.grpc.v1.QueryMeterResponse;
import dev.usageevents.grpc.v1.UpdateMeterRequest;
import dev.usageevents.grpc.v1.UsageMetersServiceGrpc;
import dev.usageevents.grpc.v1.UsageMetersServiceGrpc.UsageMetersServiceBlockingStub;
import io.grpc.Status;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * usage.v1.UsageMetersService through a real stub, over the domain's services on in-memory stores: definitions,
 * statuses and field paths, query shapes.
 */
class GrpcMetersTest {

    InProcessGrpc grpc;
    UsageMetersServiceBlockingStub meters;

    static MeterDefinition.Builder definition(String name, String aggregation, String valueProperty) {
        MeterDefinition.Builder definition = MeterDefinition.newBuilder().setName(name).setEventName("api-call")
                .setAggregation(aggregation).setUnit("tokens")
                .putPropertyFilters("model", PropertyValues.newBuilder().addValues("gpt").build());
        if (valueProperty != null) {
            definition.setValueProperty(valueProperty);
        }
        return definition;
    }

    @BeforeEach
    void open() {
        grpc = InProcessGrpc.start();
        meters = grpc.meters(grpc.account("grpc-meters"));
    }

    @AfterEach
    void close() {
        grpc.close();
    }

    private Meter create(MeterDefinition.Builder definition) {
        return meters.createMeter(CreateMeterRequest.newBuilder().setMeter(definition).build());
    }

    @Test
    void createsGetsListsUpdatesAndDeletes() {
        Meter created = create(definition("tokens", "SUM", "usage.input_tokens"));

        assertThat(created.getId()).isNotBlank();
        assertThat(created.getDefinition().getValueProperty()).isEqualTo("usage.input_tokens");
        assertThat(created.getDefinition().getPropertyFiltersMap().get("model").getValuesList()).containsExactly("gpt");
        assertThat(created.getDefinition().getCaseSensitive()).isTrue();
        assertThat(created.hasCreateTime()).isTrue();
        assertThat(created.hasDeleteTime()).isFalse();
        assertThat(meters.getMeter(GetMeterRequest.newBuilder().setId(created.getId()).build())).isEqualTo(created);
        assertThat(meters.listMeters(ListMetersRequest.getDefaultInstance()).getMetersList()).containsExactly(created);

        Meter updated = meters.updateMeter(UpdateMeterRequest.newBuilder().setId(created.getId())
                .setMeter(definition("calls", "COUNT", null)).build());
        assertThat(updated.getDefinition().getName()).isEqualTo("calls");
        assertThat(updated.getDefinition().hasValueProperty()).isFalse();

        Meter deleted = meters.deleteMeter(DeleteMeterRequest.newBuilder().setId(created.getId()).build());
        assertThat(deleted.hasDeleteTime()).isTrue();
        failure(Status.Code.NOT_FOUND, () -> meters.getMeter(GetMeterRequest.newBuilder().setId(created.getId())
                .build()));
        assertThat(meters.listMeters(ListMetersRequest.getDefaultInstance()).getTotal()).isZero();
    }

    @Test
    void refusesBadDefinitionsNamingTheirFieldPaths() {
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> create(definition("a", "COUNT", "usage.input_tokens"))))).containsKey("meter.value_property");
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT, () -> create(definition("b", "SUM", null)))))
                .containsKey("meter.value_property");
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT, () -> create(definition("c", "MEDIAN", "x")))))
                .containsKey("meter.aggregation");
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> create(definition("d", "COUNT", null).clearEventName())))).containsKey("meter.event_name");
        create(definition("taken", "COUNT", null));
        failure(Status.Code.ALREADY_EXISTS, () -> create(definition("taken", "COUNT", null)));
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> meters.getMeter(GetMeterRequest.newBuilder().setId("nope").build())))).containsKey("id");
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> meters.listMeters(ListMetersRequest.newBuilder().setLimit(101).build())))).containsKey("limit");
    }

    @Test
    void anotherAccountsMeterIsNotFound() {
        Meter mine = create(definition("mine", "COUNT", null));
        UsageMetersServiceBlockingStub other = grpc.meters(grpc.account("grpc-meters-other"));

        failure(Status.Code.NOT_FOUND, () -> other.getMeter(GetMeterRequest.newBuilder().setId(mine.getId())
                .build()));
        failure(Status.Code.NOT_FOUND, () -> other.queryMeter(QueryMeterRequest.newBuilder().setId(mine.getId())
                .setFrom(at("2024-01-01T00:00:00Z")).setTo(at("2024-01-02T00:00:00Z")).build()));
        failure(Status.Code.NOT_FOUND, () -> other.deleteMeter(DeleteMeterRequest.newBuilder().setId(mine.getId())
                .build()));
        failure(Status.Code.NOT_FOUND, () -> meters.getMeter(GetMeterRequest.newBuilder()
                .setId(UUID.randomUUID().toString()).build()));
    }

    @Test
    void queriesAnswerEveryWindowWithExactValues() {
        Meter meter = create(definition("tokens", "SUM", "tokens"));

        QueryMeterResponse answer = meters.queryMeter(QueryMeterRequest.newBuilder().setId(meter.getId())
                .setFrom(at("2024-03-30T23:00:00Z")).setTo(at("2024-04-01T22:00:00Z")).setWindowSize("DAY")
                .setTimeZone("Europe/Berlin").addCustomerIds("acme").setGroupByCustomer(true).build());

        assertThat(answer.getRowsList()).extracting(row -> row.getWindowStart().getSeconds())
                .containsExactly(at("2024-03-30T23:00:00Z").getSeconds(), at("2024-03-31T22:00:00Z").getSeconds());
        assertThat(answer.getRowsList()).allSatisfy(row -> {
            assertThat(row.getCustomerId()).isEqualTo("acme");
            assertThat(row.getValue()).isEqualTo("0");
            assertThat(row.getEventCount()).isZero();
        });
        assertThat(answer.getIgnoredEventCount()).isZero();
    }

    @Test
    void refusesBadQueriesNamingTheirFields() {
        String id = create(definition("n", "COUNT", null)).getId();
        QueryMeterRequest.Builder valid = QueryMeterRequest.newBuilder().setId(id)
                .setFrom(at("2024-01-01T00:00:00Z")).setTo(at("2024-01-02T00:00:00Z"));

        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> meters.queryMeter(valid.clone().clearFrom().build())))).containsKey("from");
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> meters.queryMeter(valid.clone().setTo(at("2023-12-31T00:00:00Z")).build()))).keySet())
                .containsAnyOf("from", "to");
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> meters.queryMeter(valid.clone().setTimeZone("Mars/Olympus").build())))).containsKey("time_zone");
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> meters.queryMeter(valid.clone().setWindowSize("FORTNIGHT").build())))).containsKey("window_size");
        QueryMeterRequest.Builder many = valid.clone();
        IntStream.range(0, 101).forEach(i -> many.addCustomerIds("c" + i));
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT, () -> meters.queryMeter(many.build()))).keySet())
                .anyMatch(field -> field.startsWith("customer_ids"));
    }

    @Test
    void refusesCallsWithoutCredentials() {
        failure(Status.Code.UNAUTHENTICATED, () -> UsageMetersServiceGrpc.newBlockingStub(grpc.channel)
                .listMeters(ListMetersRequest.getDefaultInstance()));
    }
}
