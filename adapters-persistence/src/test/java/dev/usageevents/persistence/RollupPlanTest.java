package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Where a query's windows are read from: every instant of every window exactly once, from the right source. */
class RollupPlanTest {

    private static final Set<YearMonth> BUILT = Set.of(YearMonth.of(2024, 2), YearMonth.of(2024, 3));

    @Test
    void aCalendarMonthInUtcIsItsDays() {
        RollupPlan plan = RollupPlan.of(List.of(t("2024-02-01T00:00:00Z"), t("2024-03-01T00:00:00Z")), BUILT,
                new TreeSet<>());
        assertThat(text(plan.days())).containsExactly("2024-02-01T00:00:00Z/2024-03-01T00:00:00Z");
        assertThat(plan.quarters()).isEmpty();
        assertThat(plan.raw()).isEmpty();
    }

    @Test
    void berlinDaysAreQuartersAndAChangedQuarterIsReadRaw() {
        TreeSet<Instant> changed = new TreeSet<>(List.of(t("2024-02-10T12:15:00Z")));
        RollupPlan plan = RollupPlan.of(List.of(t("2024-02-09T23:00:00Z"), t("2024-02-10T23:00:00Z"),
                t("2024-02-11T23:00:00Z")), BUILT, changed);
        assertThat(text(plan.raw())).containsExactly("2024-02-10T12:15:00Z/2024-02-10T12:30:00Z");
        // no UTC day lies wholly inside a Berlin day: quarters, adjacent ones merged across the windows
        assertThat(text(plan.quarters().get(YearMonth.of(2024, 2)))).containsExactly(
                "2024-02-09T23:00:00Z/2024-02-10T12:15:00Z", "2024-02-10T12:30:00Z/2024-02-11T23:00:00Z");
        assertThat(plan.days()).isEmpty();
        assertCovered(plan, t("2024-02-09T23:00:00Z"), t("2024-02-11T23:00:00Z"));
    }

    @Test
    void aRollingWindowReadsItsOddEdgesAndTheUnbuiltMonthRaw() {
        Instant now = t("2024-03-20T13:07:11.123Z");
        Instant from = now.minus(Duration.ofDays(60));
        RollupPlan plan = RollupPlan.of(List.of(from, now), BUILT, new TreeSet<>());
        // January is not built: from the start to February, raw; the odd minutes at both ends, raw
        assertThat(text(plan.raw())).containsExactly(from + "/2024-02-01T00:00:00Z",
                "2024-03-20T13:00:00Z/" + now);
        assertThat(text(plan.days())).containsExactly("2024-02-01T00:00:00Z/2024-03-20T00:00:00Z");
        assertThat(text(plan.quarters().get(YearMonth.of(2024, 3))))
                .containsExactly("2024-03-20T00:00:00Z/2024-03-20T13:00:00Z");
        assertCovered(plan, from, now);
    }

    /** Every instant of {@code [from, to)} falls in exactly one range of the plan. */
    private static void assertCovered(RollupPlan plan, Instant from, Instant to) {
        List<Instant[]> all = new ArrayList<>(plan.days());
        all.addAll(plan.raw());
        for (Map.Entry<YearMonth, List<Instant[]>> month : plan.quarters().entrySet()) {
            all.addAll(month.getValue());
        }
        all.sort((a, b) -> a[0].compareTo(b[0]));
        Instant at = from;
        for (Instant[] range : all) {
            assertThat(range[0]).as("next range").isEqualTo(at);
            at = range[1];
        }
        assertThat(at).isEqualTo(to);
    }

    private static List<String> text(List<Instant[]> ranges) {
        return ranges == null ? List.of() : ranges.stream().map(r -> r[0] + "/" + r[1]).toList();
    }

    private static Instant t(String text) {
        return Instant.parse(text);
    }
}
