package dev.usageevents.rest.sequence;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.usageevents.rest.common.PlainDecimal;
import java.math.BigDecimal;

/**
 * The answer of {@code calculate}: one value for the whole period. {@code value} is exact (null for MIN, MAX,
 * AVG and LATEST when no event counted); {@code ignoredEventCount} is the number of matching events whose value
 * could not be read.
 */
public record SequenceMetricCalculation(
        String name,
        String metricType,
        String eventType,
        String aggregationType,
        long eventCount,
        @JsonSerialize(using = PlainDecimal.class) BigDecimal value,
        String unit,
        String minEventId,
        String maxEventId,
        long ignoredEventCount) {
}
