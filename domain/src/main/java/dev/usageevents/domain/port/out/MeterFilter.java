package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.meter.Aggregation;

/** Optional (null: any) filters of a meter list. */
public record MeterFilter(String name, String eventName, Aggregation aggregation) {
}
