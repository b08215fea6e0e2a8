package dev.usageevents.rest.mantle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.meter.WindowSize;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class MantleReportPeriodTest {

    private static final LocalDate TODAY = LocalDate.parse("2024-05-15");

    @Test
    void daysAreInclusiveAndInstantsStandForTheirDay() {
        MantleReportPeriod period = MantleReportPeriod.of("daily", "2024-01-01", "2024-01-31T23:59:59Z", TODAY);

        assertThat(period.windowSize()).isEqualTo(WindowSize.DAY);
        assertThat(period.from()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(period.to()).isEqualTo(Instant.parse("2024-02-01T00:00:00Z"));
    }

    @Test
    void defaultsGoBackFromTheEndDateOrToday() {
        assertThat(MantleReportPeriod.of(null, null, null, TODAY).from())
                .isEqualTo(Instant.parse("2024-04-16T00:00:00Z"));
        MantleReportPeriod weeks = MantleReportPeriod.of("weekly", null, null, TODAY);
        assertThat(weeks.to()).isEqualTo(Instant.parse("2024-05-20T00:00:00Z"));
        assertThat(weeks.from()).isEqualTo(Instant.parse("2024-02-26T00:00:00Z"));
        MantleReportPeriod months = MantleReportPeriod.of("MONTHLY", null, "2024-03-10", TODAY);
        assertThat(months.from()).isEqualTo(Instant.parse("2023-04-01T00:00:00Z"));
        assertThat(months.to()).isEqualTo(Instant.parse("2024-04-01T00:00:00Z"));
    }

    @Test
    void capsAreNinetyDaysTwelveWeeksTwelveMonths() {
        assertThat(MantleReportPeriod.of("daily", "2024-01-01", "2024-03-30", TODAY).from()).isNotNull();
        assertStatus(() -> MantleReportPeriod.of("daily", "2024-01-01", "2024-03-31", TODAY), 422);
        assertStatus(() -> MantleReportPeriod.of("weekly", "2024-01-01", "2024-03-25", TODAY), 422);
        assertThat(MantleReportPeriod.of("weekly", "2024-01-01", "2024-03-24", TODAY).windowSize())
                .isEqualTo(WindowSize.WEEK);
        assertStatus(() -> MantleReportPeriod.of("monthly", "2024-01-01", "2025-01-01", TODAY), 422);
        assertStatus(() -> MantleReportPeriod.of("daily", "2024-01-02", "2024-01-01", TODAY), 422);
        assertStatus(() -> MantleReportPeriod.of("yearly", null, null, TODAY), 400);
        assertStatus(() -> MantleReportPeriod.of("daily", "01/01/2024", null, TODAY), 400);
    }

    private static void assertStatus(Runnable call, int status) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(MantleApiException.class,
                e -> assertThat(e.status).isEqualTo(status));
    }
}
