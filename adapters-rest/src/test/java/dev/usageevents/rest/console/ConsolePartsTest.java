package dev.usageevents.rest.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's cookie, meter form and chart geometry, without a server. */
class ConsolePartsTest {

    @Test
    void theSessionCookieIsSecureOverTlsOnly() {
        assertThat(ConsoleResource.cookie(true, "usage_console", "abc", "/console", -1))
                .isEqualTo("usage_console=abc; Path=/console; HttpOnly; SameSite=Strict; Secure");
        assertThat(ConsoleResource.cookie(false, "usage_console", "", "/console", 0))
                .isEqualTo("usage_console=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    @Test
    void theMeterFormSplitsFiltersAndNegatedPaths() {
        MeterDraft draft = new MeterForm(" Units ", "api-call", "SUM", "usage.units",
                "region=eu, us\n\nplan=free\r\n", "plan", false, "", "").draft();

        assertThat(draft.name()).isEqualTo("Units");
        assertThat(draft.propertyFilters()).isEqualTo(Map.of("region", List.of("eu", "us"), "plan", List.of("free")));
        assertThat(draft.propertiesToNegate()).containsExactly("plan");
        assertThat(draft.caseSensitive()).isFalse();
        assertThat(draft.unit()).isNull();
    }

    @Test
    void emptyWindowsAreBarsOfZeroAndTheRestIsStackedAsOthers() {
        Instant d1 = Instant.parse("2026-12-01T00:00:00Z");
        Instant d2 = Instant.parse("2026-12-02T00:00:00Z");
        Instant d3 = Instant.parse("2026-12-03T00:00:00Z");
        List<MeterRow> windows = List.of(row(d1, d2, null, "0"), row(d2, d3, null, "10"));
        List<MeterRow> top = List.of(row(d1, d2, "a", "0"), row(d2, d3, "a", "6"));
        List<MeterRow> ranked = List.of(row(d1, d3, "a", "6"), row(d1, d3, "b", "4"));

        ChartView chart = ConsoleMetersResource.draw(windows, top, List.of("a"), ranked, true, "UTC", "DAY");

        assertThat(chart.bars()).hasSize(2);
        assertThat(chart.bars().get(0).segments()).allSatisfy(s -> assertThat(s.h()).isZero());
        assertThat(chart.bars().get(1).segments()).extracting(ChartView.Segment::css).containsExactly("s0", "s1");
        double a = chart.bars().get(1).segments().get(0).h();
        double others = chart.bars().get(1).segments().get(1).h();
        assertThat(a / others).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(chart.series()).extracting(ChartView.Series::name).containsExactly("a", "others");
        assertThat(chart.max()).isEqualTo("10");
        assertThat(chart.bars().get(0).label()).isEqualTo("2026-12-01");
    }

    private static MeterRow row(Instant start, Instant end, String customer, String value) {
        return new MeterRow(start, end, customer, Map.of(), new BigDecimal(value), 1);
    }
}
