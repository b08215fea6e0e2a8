package dev.usageevents.domain.model.meter;

import dev.usageevents.domain.model.CustomerId;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A validated meter query: the period {@code [from, to)}, the window size (null: the whole period as one window)
 * in {@code zone}, the customers to count (empty: all), grouping, and the optional {@code asOf} instant.
 */
public record MeterWindows(Instant from, Instant to, WindowSize windowSize, ZoneId zone, List<CustomerId> customers,
        boolean groupByCustomer, List<PropertyPath> groupBy, Instant asOf) {

    public MeterWindows {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        customers = List.copyOf(customers);
        groupBy = List.copyOf(groupBy);
    }
}
