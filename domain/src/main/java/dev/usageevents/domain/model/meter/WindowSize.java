package dev.usageevents.domain.model.meter;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * The windows a meter query cuts its period into, in the query's time zone (WEEK: ISO weeks, from Monday).
 *
 * <p>A window starts where the zone's wall clock starts a minute, hour, day, ISO week or month. DAY, WEEK and MONTH
 * start at the first instant of their first day (a day of a DST change lasts 23 or 25 hours; where midnight does
 * not exist, the day starts when the clock resumes). MINUTE and HOUR windows follow the wall clock too: in
 * Asia/Kathmandu (+05:45) an hour starts at :15 UTC, and the repeated hour of an autumn DST change is two windows.
 */
public enum WindowSize {
    MINUTE, HOUR, DAY, WEEK, MONTH;

    /** The start of the window that holds {@code instant}. */
    public Instant floor(Instant instant, ZoneId zone) {
        ZonedDateTime local = instant.atZone(zone);
        return switch (this) {
            case MINUTE -> local.truncatedTo(ChronoUnit.MINUTES).toInstant();
            case HOUR -> local.truncatedTo(ChronoUnit.HOURS).toInstant();
            case DAY -> startOf(local.toLocalDate(), zone);
            case WEEK -> startOf(local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), zone);
            case MONTH -> startOf(local.toLocalDate().withDayOfMonth(1), zone);
        };
    }

    /** The start of the window after the one starting at {@code start} (a value of {@link #floor}). */
    public Instant next(Instant start, ZoneId zone) {
        Instant next = start;
        // A zone that skips a day (Pacific/Apia, 2011-12-30) or turns its clock back by less than an hour
        // (Australia/Lord_Howe) can give a next start that is no later: step on until the clock has moved.
        for (int steps = 1; !next.isAfter(start); steps++) {
            next = step(start, zone, steps);
        }
        return next;
    }

    private Instant step(Instant start, ZoneId zone, int steps) {
        ZonedDateTime local = start.atZone(zone);
        return switch (this) {
            case MINUTE -> floor(start.plus(steps, ChronoUnit.MINUTES), zone);
            case HOUR -> floor(start.plus(steps, ChronoUnit.HOURS), zone);
            case DAY -> startOf(local.toLocalDate().plusDays(steps), zone);
            case WEEK -> startOf(local.toLocalDate().plusWeeks(steps), zone);
            case MONTH -> startOf(local.toLocalDate().plusMonths(steps).withDayOfMonth(1), zone);
        };
    }

    private static Instant startOf(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant();
    }
}
