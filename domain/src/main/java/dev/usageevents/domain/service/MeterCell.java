package dev.usageevents.domain.service;

import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.MeterValues;
import java.math.BigDecimal;

/**
 * The folded values of one window of one group, as the reference aggregator and the PostgreSQL reader compute
 * them: {@code eventCount} events went into the value (COUNT: every matching event); {@code sum}, {@code min},
 * {@code max} and {@code latest} of their numbers (null when none, or when the aggregation does not read them);
 * {@code distinct}: the number of distinct values (UNIQUE_COUNT).
 */
public record MeterCell(long eventCount, BigDecimal sum, BigDecimal min, BigDecimal max, BigDecimal latest,
        long distinct) {

    /** The window's value: zero when empty for COUNT, SUM and UNIQUE_COUNT, null when empty for the others. */
    public BigDecimal value(Aggregation aggregation) {
        return switch (aggregation) {
            case COUNT -> BigDecimal.valueOf(eventCount);
            case SUM -> sum == null ? BigDecimal.ZERO : sum;
            case UNIQUE_COUNT -> BigDecimal.valueOf(distinct);
            case MIN -> min;
            case MAX -> max;
            case AVG -> sum == null ? null : MeterValues.average(sum, eventCount);
            case LATEST -> latest;
        };
    }

    public static final MeterCell EMPTY = new MeterCell(0, null, null, null, null, 0);
}
