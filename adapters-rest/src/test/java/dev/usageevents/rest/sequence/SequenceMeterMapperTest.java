package dev.usageevents.rest.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterQuery;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequenceMeterMapperTest {

    private static MeterDraft draft(String json) {
        return SequenceMeterMapper.toDraft(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsSequencesFieldsAsTheDomainsDraft() {
        MeterDraft draft = draft("{\"name\":\"n\",\"metricType\":\"SIMPLE\",\"eventType\":\"message-sent\","
                + "\"aggregationType\":\"UNIQUE\",\"aggregationProperty\":\"user.id\",\"unit\":\"users\","
                + "\"propertyFilters\":{\"channel\":[\"text\",\"email\"]},\"propertiesToNegate\":[\"channel\"],"
                + "\"caseSensitive\":false,\"description\":\"d\",\"parameters\":[]}");

        assertThat(draft).isEqualTo(new MeterDraft("n", "message-sent", "UNIQUE_COUNT", "user.id",
                Map.of("channel", List.of("text", "email")), List.of("channel"), false, "users", "d"));
    }

    @Test
    void refusesCustomGroupedAndWrongTypesNamingEveryField() {
        assertThatThrownBy(() -> draft("{\"aggregationType\":\"CUSTOM\",\"metricType\":\"GROUPED\","
                + "\"groupingProperty\":\"x\",\"propertyFilters\":\"a\",\"propertiesToNegate\":[1],"
                + "\"caseSensitive\":1,\"name\":5,\"parameters\":[{\"name\":\"p\"}]}"))
                .isInstanceOfSatisfying(SequenceApiException.class, e -> assertThat(e.errors)
                        .extracting(SequenceError.FieldMessage::field)
                        .containsExactly("name", "metricType", "aggregationType", "groupingProperty",
                                "propertyFilters", "propertiesToNegate[0]", "caseSensitive", "parameters"));
    }

    @Test
    void calculateReadsDaysInTheZoneWithAnInclusiveEnd() {
        MeterQuery query = SequenceMeterMapper.calculateQuery("a, b,", "2024-01-01", "2024-01-31",
                "Europe/Berlin", "2024-02-05T10:00:00Z");

        assertThat(query.from()).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
        assertThat(query.to()).isEqualTo(Instant.parse("2024-01-31T23:00:00Z"));
        assertThat(query.customerIds()).containsExactly("a", "b");
        assertThat(query.windowSize()).isNull();
        assertThat(query.asOf()).isEqualTo(Instant.parse("2024-02-05T10:00:00Z"));
    }

    @Test
    void calculateTakesInstantsAsTheyAreWithAnExclusiveEnd() {
        MeterQuery query = SequenceMeterMapper.calculateQuery(null, "2024-01-01T00:00:00Z",
                "2024-01-01T12:00:00+01:00", null, null);

        assertThat(query.from()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(query.to()).isEqualTo(Instant.parse("2024-01-01T11:00:00Z"));
        assertThat(query.customerIds()).isEmpty();
    }

    @Test
    void calculateRefusesAnEndBeforeTheStartAndAnUnknownZone() {
        assertThatThrownBy(() -> SequenceMeterMapper.calculateQuery(null, "2024-01-02", "2024-01-01", null, null))
                .isInstanceOfSatisfying(SequenceApiException.class,
                        e -> assertThat(e.errors.get(0).field()).isEqualTo("periodEnd"));
        assertThatThrownBy(() -> SequenceMeterMapper.calculateQuery(null, "2024-01-01", "2024-01-02", "Nowhere",
                null)).isInstanceOfSatisfying(SequenceApiException.class,
                        e -> assertThat(e.errors.get(0).field()).isEqualTo("timeZone"));
    }

    @Test
    void usageSeparatesTheCustomerFromPropertyGroups() {
        MeterQuery query = SequenceMeterMapper.usageQuery("2024-01-01", "2024-02-01", "DAY", "Asia/Kathmandu",
                "a", "customerAlias,model,usage.tier", null);

        assertThat(query.from()).isEqualTo(Instant.parse("2023-12-31T18:15:00Z"));
        assertThat(query.groupByCustomer()).isTrue();
        assertThat(query.groupBy()).containsExactly("model", "usage.tier");
    }

    @Test
    void renamesDomainFieldsToTheCallersNames() {
        SequenceApiException e = SequenceMeterMapper.rejectedQuery(new InvalidInputException(List.of(
                FieldError.of("customerIds[3]", "bad"), FieldError.of("from", "bad"), FieldError.of("asOf", "bad"))),
                SequenceMeterMapper.CALCULATE_FIELDS);
        assertThat(e.errors).extracting(SequenceError.FieldMessage::field)
                .containsExactly("customerAliases[3]", "periodStart", "asOf");
        assertThat(SequenceMeterMapper.rejectedBody(InvalidInputException.of("valueProperty", "x")).errors.get(0)
                .field()).isEqualTo("aggregationProperty");
    }

    @Test
    void writesExactValuesInPlainNotation() throws Exception {
        SequenceMetricCalculation calculation = new SequenceMetricCalculation("n", "SIMPLE", "t", "SUM", 3,
                new BigDecimal("1E+3"), null, null, null, 0);
        assertThat(new ObjectMapper().writeValueAsString(calculation)).contains("\"value\":1000,");
        SequenceMetricCalculation tiny = new SequenceMetricCalculation("n", "SIMPLE", "t", "SUM", 3,
                new BigDecimal("0.10000000000000000000001"), null, null, null, 0);
        assertThat(new ObjectMapper().writeValueAsString(tiny)).contains("\"value\":0.10000000000000000000001,");
    }

    @Test
    void writesCsvAsRfc4180() {
        Map<String, Object> groups = new LinkedHashMap<>();
        groups.put("model", "gpt,\"4\"");
        SequenceMetricUsage usage = new SequenceMetricUsage("m", "DAY", "UTC", "f", "t", List.of(
                new SequenceMetricUsage.Row("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", null, groups,
                        new BigDecimal("2.50"), 2)), 0);

        assertThat(SequenceMetricUsageCsv.write(usage, List.of("model"))).isEqualTo(
                "windowStart,windowEnd,customerAlias,groupBy.model,value,eventCount\r\n"
                        + "2024-01-01T00:00:00Z,2024-01-02T00:00:00Z,,\"gpt,\"\"4\"\"\",2.50,2\r\n");
    }
}
