package dev.usageevents.domain.port.in;

import java.time.Instant;
import java.util.List;

/**
 * A question to a meter, before validation: the period {@code [from, to)}, an optional window size (null: one
 * window, the whole period) and IANA time zone (null: UTC), the customers to count (empty: all), whether to
 * group by customer, up to 5 property paths to group by (dot-separated), and an optional {@code asOf} instant
 * (the answer the query would have had then: versions received strictly before it, unless superseded strictly
 * before it; see {@link dev.usageevents.domain.service.MeterAggregator}). Instants are rounded up to the
 * microsecond. Field names in errors: {@code from}, {@code to}, {@code windowSize}, {@code timeZone},
 * {@code customerIds}, {@code groupBy}, {@code asOf}.
 */
public record MeterQuery(Instant from, Instant to, String windowSize, String timeZone, List<String> customerIds,
        boolean groupByCustomer, List<String> groupBy, Instant asOf) {

    public MeterQuery {
        customerIds = customerIds == null ? List.of() : List.copyOf(customerIds);
        groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
    }
}
