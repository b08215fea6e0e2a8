package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.port.in.MeterResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Computes a meter over the stored events, exactly as the reference aggregator
 * ({@code dev.usageevents.domain.service.MeterAggregator}) would over every stored version: a shared contract test
 * compares the two.
 */
public interface MeterReader {

    MeterResult aggregate(Meter meter, MeterWindows question);

    /**
     * The meter's value for one customer over each period {@code [start, to)} of {@code starts} (each before
     * {@code to}), in their order: periods that share their end, as Mantle's rolling values. Each value is the one
     * row of {@link #aggregate} over that period in one window. This default asks once per start; a reader may
     * answer them all in one pass.
     */
    default List<BigDecimal> trailing(Meter meter, CustomerId customer, List<Instant> starts, Instant to) {
        return starts.stream().map(start -> aggregate(meter, new MeterWindows(start, to, null, ZoneOffset.UTC,
                List.of(customer), false, List.of(), null)).rows().get(0).value()).toList();
    }
}
