package dev.usageevents.persistence;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where each part of a meter query's windows is read from: whole UTC days from {@code meter_days}, 15-minute
 * quarters from {@code meter_quarters} (for the month's dense customers; the others' events of those quarters are
 * read raw), and everything else from the raw events: the part of a window that does not fill a quarter, the
 * quarters changed since they were folded, and the months not built for the meter's current definition.
 *
 * <p>Each part is a list of ranges {@code [start, end)}, in order, adjacent ones merged.
 *
 * @param days whole UTC days read from {@code meter_days}
 * @param quarters per month, quarters read from {@code meter_quarters} (and raw for the customers not dense that
 *        month)
 * @param raw read raw for every customer
 */
record RollupPlan(List<Instant[]> days, Map<YearMonth, List<Instant[]>> quarters, List<Instant[]> raw) {

    static final Duration QUARTER = Duration.ofMinutes(15);
    private static final Duration DAY = Duration.ofDays(1);

    /**
     * @param bounds the windows' bounds, in order (window {@code i} is {@code [bounds[i], bounds[i+1])})
     * @param built the months built for the meter's current definition
     * @param changed the quarters changed since they were folded
     */
    static RollupPlan of(List<Instant> bounds, Set<YearMonth> built, NavigableSet<Instant> changed) {
        List<Instant[]> days = new ArrayList<>();
        Map<YearMonth, List<Instant[]>> quarters = new TreeMap<>();
        List<Instant[]> raw = new ArrayList<>();
        for (int w = 0; w + 1 < bounds.size(); w++) {
            Instant t = bounds.get(w);
            Instant end = bounds.get(w + 1);
            Instant aligned = ceilQuarter(t);
            if (!aligned.isBefore(end)) {
                add(raw, t, end);
                continue;
            }
            add(raw, t, aligned);
            t = aligned;
            while (!t.plus(QUARTER).isAfter(end)) {
                YearMonth month = month(t);
                Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
                if (!built.contains(month)) {
                    Instant next = min(floorQuarter(end), monthEnd);
                    add(raw, t, next);
                    t = next;
                } else if (isMidnight(t) && !t.plus(DAY).isAfter(end) && !anyChanged(changed, t, t.plus(DAY))) {
                    add(days, t, t.plus(DAY));
                    t = t.plus(DAY);
                } else {
                    add(changed.contains(t) ? raw : quarters.computeIfAbsent(month, m -> new ArrayList<>()),
                            t, t.plus(QUARTER));
                    t = t.plus(QUARTER);
                }
            }
            add(raw, t, end);
        }
        return new RollupPlan(days, quarters, raw);
    }

    /** The months {@code [from, to)} touches, in UTC. */
    static List<YearMonth> months(Instant from, Instant to) {
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = month(from); m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).isBefore(to);
                m = m.plusMonths(1)) {
            months.add(m);
        }
        return months;
    }

    static YearMonth month(Instant t) {
        return YearMonth.from(t.atOffset(ZoneOffset.UTC));
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    static Instant floorDay(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), 86_400) * 86_400);
    }

    static Instant floorQuarter(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), 900) * 900);
    }

    private static Instant ceilQuarter(Instant t) {
        Instant floor = floorQuarter(t);
        return floor.equals(t) ? t : floor.plus(QUARTER);
    }

    private static boolean isMidnight(Instant t) {
        return t.getEpochSecond() % 86_400 == 0 && t.getNano() == 0;
    }

    private static boolean anyChanged(NavigableSet<Instant> changed, Instant from, Instant to) {
        Instant first = changed.ceiling(from);
        return first != null && first.isBefore(to);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Adds {@code [from, to)} to ranges in order, merged with the last one when adjacent; empty ones are left out. */
    static void add(List<Instant[]> ranges, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return;
        }
        if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1].equals(from)) {
            ranges.get(ranges.size() - 1)[1] = to;
        } else {
            ranges.add(new Instant[] {from, to});
        }
    }
}
