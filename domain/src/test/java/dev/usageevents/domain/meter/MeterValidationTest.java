package dev.usageevents.domain.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.service.MeterValidation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MeterValidationTest {

    private static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2024-02-01T00:00:00Z");

    private static MeterDraft draft(String aggregation, String valueProperty, Map<String, ?> filters,
            List<String> negate) {
        return new MeterDraft("tokens", "llm-call", aggregation, valueProperty, filters, negate, null, null, null);
    }

    private static List<FieldError> errors(Runnable call) {
        try {
            call.run();
        } catch (InvalidInputException e) {
            return e.errors();
        }
        throw new AssertionError("no error");
    }

    @Test
    void aValidDraftBecomesADefinitionWithFilterValuesAsText() {
        MeterDefinition d = MeterValidation.definition(draft("SUM", "usage.input_tokens",
                Map.of("model", List.of("gpt", 1.50, true, 100)), List.of("model")));
        assertThat(d.aggregation()).isEqualTo(Aggregation.SUM);
        assertThat(d.valueProperty().segments()).containsExactly("usage", "input_tokens");
        assertThat(d.propertyFilters().get(new PropertyPath(List.of("model")))).containsExactly("gpt", "1.5", "true",
                "100");
        assertThat(d.propertiesToNegate()).containsExactly(new PropertyPath(List.of("model")));
        assertThat(d.caseSensitive()).isTrue();
    }

    @Test
    void pathsMustBeNonEmptyWithoutEmptySegmentsAndAtMost16Levels() {
        for (String bad : List.of("", "a..b", ".a", "a.")) {
            assertThat(errors(() -> MeterValidation.definition(draft("SUM", bad, null, null))))
                    .extracting(FieldError::field).containsExactly("valueProperty");
        }
        String deep = String.join(".", Collections.nCopies(17, "x"));
        assertThat(errors(() -> MeterValidation.definition(draft("SUM", deep, null, null))).get(0).message())
                .contains("at most 16 levels");
        assertThat(PropertyPath.parse("p", String.join(".", Collections.nCopies(16, "x"))).segments()).hasSize(16);
    }

    @Test
    void countRefusesAValuePropertyAndSumNeedsOne() {
        assertThat(errors(() -> MeterValidation.definition(draft("COUNT", "length", null, null))))
                .extracting(FieldError::field).containsExactly("valueProperty");
        assertThat(errors(() -> MeterValidation.definition(draft("SUM", null, null, null))))
                .extracting(FieldError::field).containsExactly("valueProperty");
        assertThat(errors(() -> MeterValidation.definition(draft("CUSTOM", null, null, null))))
                .extracting(FieldError::field).containsExactly("aggregation");
    }

    @Test
    void filtersMustMapPathsToArraysOfScalarsAndNegationsMustNameAFilter() {
        assertThat(errors(() -> MeterValidation.definition(draft("COUNT", null,
                Map.of("channel", "email"), null)))).extracting(FieldError::field)
                .containsExactly("propertyFilters.channel");
        assertThat(errors(() -> MeterValidation.definition(draft("COUNT", null,
                Map.of("channel", List.of("email", Map.of("x", 1))), null)))).extracting(FieldError::field)
                .containsExactly("propertyFilters.channel[1]");
        assertThat(errors(() -> MeterValidation.definition(draft("COUNT", null,
                Map.of("a..b", List.of("x")), null)))).extracting(FieldError::field)
                .containsExactly("propertyFilters.a..b");
        assertThat(errors(() -> MeterValidation.definition(draft("COUNT", null,
                Map.of("channel", List.of("email")), List.of("other"))))).extracting(FieldError::field)
                .containsExactly("propertiesToNegate[0]");
    }

    @Test
    void namesHave1To255CharactersAndEventNamesFollowTheEventRule() {
        List<FieldError> errors = errors(() -> MeterValidation.definition(new MeterDraft("", "bad\u0001name",
                "COUNT", null, null, null, null, null, null)));
        assertThat(errors).extracting(FieldError::field).containsExactly("name", "eventName");
        assertThat(errors(() -> MeterValidation.definition(new MeterDraft("x".repeat(256), "e", "COUNT", null,
                null, null, null, null, null)))).extracting(FieldError::field).containsExactly("name");
        assertThat(MeterValidation.definition(new MeterDraft("x".repeat(255), "e", "COUNT", null, null, null,
                false, "tokens", "d")).caseSensitive()).isFalse();
    }

    private static MeterQuery query(Instant from, Instant to, String windowSize, String zone) {
        return new MeterQuery(from, to, windowSize, zone, null, false, null, null);
    }

    @Test
    void queriesNeedFromBeforeToAKnownZoneAndWindowSize() {
        assertThat(errors(() -> MeterValidation.windows(query(TO, FROM, null, null))))
                .extracting(FieldError::field).containsExactly("from");
        assertThat(errors(() -> MeterValidation.windows(query(FROM, FROM, null, null))))
                .extracting(FieldError::field).containsExactly("from");
        assertThat(errors(() -> MeterValidation.windows(query(FROM, TO, "FORTNIGHT", "Mars/Olympus"))))
                .extracting(FieldError::field).containsExactly("windowSize", "timeZone");
        assertThat(MeterValidation.windows(query(FROM, TO, "DAY", null)).zone()).isEqualTo(ZoneId.of("Z"));
    }

    @Test
    void atMost100CustomersAnd5GroupByPaths() {
        List<String> customers = IntStream.range(0, 101).mapToObj(i -> "c" + i).toList();
        assertThat(errors(() -> MeterValidation.windows(new MeterQuery(FROM, TO, null, null, customers, false, null,
                null)))).extracting(FieldError::field).containsExactly("customerIds");
        assertThat(errors(() -> MeterValidation.windows(new MeterQuery(FROM, TO, null, null, null, false,
                List.of("a", "b", "c", "d", "e", "f"), null)))).extracting(FieldError::field).containsExactly("groupBy");
        assertThat(errors(() -> MeterValidation.windows(new MeterQuery(FROM, TO, null, null, null, false,
                List.of("a", "b.", "a"), null)))).extracting(FieldError::field).containsExactly("groupBy[1]", "groupBy[2]");
        MeterWindows ok = MeterValidation.windows(new MeterQuery(FROM, TO, null, null, customers.subList(0, 100),
                true, List.of("a", "b", "c", "d", "e"), null));
        assertThat(ok.customers()).hasSize(100);
    }

    @Test
    void moreThan10000WindowsIsRefusedBeforeQuerying() {
        List<FieldError> errors = errors(() -> MeterValidation.windows(query(FROM, TO, "MINUTE", null)));
        assertThat(errors).extracting(FieldError::field).containsExactly("windowSize");
        assertThat(errors.get(0).message()).contains("10000");
        // 10,000 minutes exactly is allowed
        MeterWindows max = MeterValidation.windows(query(FROM, FROM.plusSeconds(60 * 10_000), "MINUTE", null));
        assertThat(max.bounds(10_000)).hasSize(10_001);
    }

    @Test
    void instantsAreRoundedUpToTheMicrosecond() {
        MeterWindows w = MeterValidation.windows(query(FROM.plusNanos(1), TO, null, null));
        assertThat(w.from()).isEqualTo(FROM.plusNanos(1000));
        assertThat(new BigDecimal("1.50").stripTrailingZeros().toPlainString()).isEqualTo("1.5");
    }
}
