package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.port.in.MeterResult;

/**
 * Computes a meter over the stored events, exactly as the reference aggregator
 * ({@code dev.usageevents.domain.service.MeterAggregator}) would over every stored version: a shared contract test
 * compares the two.
 */
public interface MeterReader {

    MeterResult aggregate(Meter meter, MeterWindows question);
}
