package dev.usageevents.domain.testing;

import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.out.MeterReader;
import dev.usageevents.domain.service.MeterAggregator;

/** The meter reader in memory, for tests: the reference aggregator over the in-memory store's versions. */
public final class InMemoryMeterReader implements MeterReader {

    private final InMemoryUsageEventStore events;

    public InMemoryMeterReader(InMemoryUsageEventStore events) {
        this.events = events;
    }

    @Override
    public MeterResult aggregate(Meter meter, MeterWindows question) {
        return MeterAggregator.aggregate(meter, question, events.versions());
    }
}
