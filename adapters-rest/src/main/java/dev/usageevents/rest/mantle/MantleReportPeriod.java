package dev.usageevents.rest.mantle;

import dev.usageevents.domain.model.meter.WindowSize;
import dev.usageevents.rest.common.PeriodBounds;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The period of a Mantle usage report, in UTC, cut into whole windows: {@code startDate} and {@code endDate} are
 * days, both inclusive (an ISO instant stands for its UTC day: the docs' example ends at {@code 23:59:59}); the
 * period is widened to the windows they fall in (a week starts on Monday, a month on its first). Without
 * {@code startDate}: 30 days, 12 weeks or 12 months back from {@code endDate} (default today); at most 90 days,
 * 12 weeks or 12 months (422 beyond).
 */
record MantleReportPeriod(String period, WindowSize windowSize, Instant from, Instant to) {

    static final String DAILY = "daily";
    static final String WEEKLY = "weekly";
    static final String MONTHLY = "monthly";

    /** @throws MantleApiException 400 for a bad parameter, 422 for a period out of bounds */
    static MantleReportPeriod of(String period, String startDate, String endDate, LocalDate today) {
        MantleProblems problems = new MantleProblems();
        String name = period == null || period.isBlank() ? DAILY : period.trim().toLowerCase(Locale.ROOT);
        if (!name.equals(DAILY) && !name.equals(WEEKLY) && !name.equals(MONTHLY)) {
            problems.malformed("period", "must be daily, weekly or monthly");
        }
        LocalDate end = day("endDate", endDate, problems);
        LocalDate start = day("startDate", startDate, problems);
        problems.throwIfAny();
        LocalDate last = end == null ? today : end;
        LocalDate firstWindow;
        LocalDate afterLastWindow;
        int windows;
        int cap;
        WindowSize size;
        switch (name) {
            case WEEKLY -> {
                size = WindowSize.WEEK;
                afterLastWindow = last.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(1);
                firstWindow = start == null ? afterLastWindow.minusWeeks(12)
                        : start.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                windows = (int) ChronoUnit.WEEKS.between(firstWindow, afterLastWindow);
                cap = 12;
            }
            case MONTHLY -> {
                size = WindowSize.MONTH;
                afterLastWindow = last.withDayOfMonth(1).plusMonths(1);
                firstWindow = start == null ? afterLastWindow.minusMonths(12) : start.withDayOfMonth(1);
                windows = (int) ChronoUnit.MONTHS.between(firstWindow, afterLastWindow);
                cap = 12;
            }
            default -> {
                size = WindowSize.DAY;
                afterLastWindow = last.plusDays(1);
                firstWindow = start == null ? afterLastWindow.minusDays(30) : start;
                windows = (int) ChronoUnit.DAYS.between(firstWindow, afterLastWindow);
                cap = 90;
            }
        }
        if (start != null && start.isAfter(last)) {
            problems.invalid("startDate", "must not be after endDate");
        } else if (windows > cap) {
            problems.invalid("startDate", "is too far back: a " + name + " report covers at most " + cap + " "
                    + (name.equals(DAILY) ? "days" : name.equals(WEEKLY) ? "weeks" : "months") + " (got " + windows
                    + ")");
        }
        problems.throwIfAny();
        return new MantleReportPeriod(name, size, firstWindow.atStartOfDay(ZoneOffset.UTC).toInstant(),
                afterLastWindow.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private static LocalDate day(String field, String text, MantleProblems problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            PeriodBounds.Bound bound = PeriodBounds.parse(text);
            return bound.day() != null ? bound.day() : LocalDate.ofInstant(bound.instant(), ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            problems.malformed(field, e.getMessage());
            return null;
        }
    }
}
