package dev.usageevents.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.grpc.v1.PropertyValues;
import dev.usageevents.grpc.v1.QueryMeterRequest;
import dev.usageevents.grpc.v1.QueryMeterResponse;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MeterProtoMapperTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void readsADefinitionWithEmptyStringsAsAbsent() {
        MeterDraft draft = MeterProtoMapper.draft(dev.usageevents.grpc.v1.MeterDefinition.newBuilder()
                .setAggregation("SUM").setValueProperty("usage.tokens")
                .putPropertyFilters("model", PropertyValues.newBuilder().addValues("a").addValues("b").build())
                .addPropertiesToNegate("model").build());

        assertThat(draft).isEqualTo(new MeterDraft(null, null, "SUM", "usage.tokens",
                Map.of("model", List.of("a", "b")), List.of("model"), null, null, null));
    }

    @Test
    void writesValuesAsExactDecimalStringsAndLeavesEmptyOnesUnset() {
        Meter meter = new Meter(UUID.randomUUID(), new AccountId(UUID.randomUUID()), new MeterDefinition("m",
                new EventName("e"), Aggregation.MAX, new PropertyPath(List.of("v")), Map.of(), Set.of(), true, null,
                null), T0, null);
        QueryMeterResponse response = MeterProtoMapper.result(new MeterResult(meter, List.of(
                new MeterRow(T0, T0.plusSeconds(60), "acme", Map.of("model", "a"), new BigDecimal("1E+2"), 3),
                new MeterRow(T0.plusSeconds(60), T0.plusSeconds(120), null, Map.of(), null, 0)), 2, null, null));

        assertThat(response.getRows(0).getValue()).isEqualTo("100");
        assertThat(response.getRows(0).getGroupByMap().get("model").getStringValue()).isEqualTo("a");
        assertThat(response.getRows(1).hasValue()).isFalse();
        assertThat(response.getIgnoredEventCount()).isEqualTo(2);
        assertThat(MeterProtoMapper.meter(meter).getDefinition().getValueProperty()).isEqualTo("v");
    }

    @Test
    void aQueryNeedsItsPeriodAndNamesItsFieldsInSnakeCase() {
        assertThatThrownBy(() -> MeterProtoMapper.query(QueryMeterRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(error -> FieldPaths.meterQuery().of(error)).containsExactly("from", "to"));
        MeterQuery query = MeterProtoMapper.query(QueryMeterRequest.newBuilder()
                .setFrom(Timestamp.newBuilder().setSeconds(T0.getEpochSecond()))
                .setTo(Timestamp.newBuilder().setSeconds(T0.getEpochSecond() + 60)).setTimeZone("Asia/Kathmandu")
                .addCustomerIds("a").setGroupByCustomer(true).build());
        assertThat(query).isEqualTo(new MeterQuery(T0, T0.plusSeconds(60), null, "Asia/Kathmandu", List.of("a"),
                true, List.of(), null));
        assertThat(FieldPaths.meterQuery().of(FieldError.of("customerIds[3]", "x"))).isEqualTo("customer_ids[3]");
        assertThat(FieldPaths.meter("meter").of(FieldError.of("valueProperty", "x")))
                .isEqualTo("meter.value_property");
        assertThat(FieldPaths.meter("meter").of(FieldError.of("id", "x"))).isEqualTo("id");
    }
}
