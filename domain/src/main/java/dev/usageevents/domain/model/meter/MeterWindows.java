package dev.usageevents.domain.model.meter;

import dev.usageevents.domain.model.CustomerId;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validated meter query: the period {@code [from, to)}, the window size (null: the whole period as one window)
 * in {@code zone}, the customers to count (empty: all), grouping, and the optional {@code asOf} instant.
 *
 * <p>Windows are clipped to the period: the first starts at {@code from} and the last ends at {@code to}, even
 * when those fall inside a calendar window (a DAY query from 10:00 has a first window 10:00 to midnight). Every
 * other bound is a window start of {@link WindowSize} in {@code zone}.
 */
public record MeterWindows(Instant from, Instant to, WindowSize windowSize, ZoneId zone, List<CustomerId> customers,
        boolean groupByCustomer, List<PropertyPath> groupBy, Instant asOf) {

    public MeterWindows {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        customers = List.copyOf(customers);
        groupBy = List.copyOf(groupBy);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /**
     * The bounds of the windows in order: {@code from}, each window start strictly inside the period, {@code to};
     * window {@code i} is {@code [bounds[i], bounds[i+1])}. Stops after {@code limit + 1} windows, so that a caller
     * can refuse a period of too many windows without building them all.
     */
    public List<Instant> bounds(int limit) {
        List<Instant> bounds = new ArrayList<>();
        bounds.add(from);
        if (windowSize != null) {
            Instant start = windowSize.next(windowSize.floor(from, zone), zone);
            while (start.isBefore(to) && bounds.size() <= limit) {
                bounds.add(start);
                start = windowSize.next(start, zone);
            }
        }
        bounds.add(to);
        return bounds;
    }
}
