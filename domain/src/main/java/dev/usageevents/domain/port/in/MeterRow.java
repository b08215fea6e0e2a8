package dev.usageevents.domain.port.in;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One window of one group: {@code customerId} is null unless the query grouped by customer; {@code groupBy}
 * holds the grouped property values by dotted path, as text
 * ({@link dev.usageevents.domain.model.meter.MeterValues#text}: a string as it is, a number in canonical plain
 * form such as {@code 1.5}, a boolean as {@code true} / {@code false}; null when the property is missing, null, an object or an array). Windows are clipped to the period (see
 * {@link dev.usageevents.domain.model.meter.MeterWindows}). {@code value} is exact; it is
 * zero for an empty window of COUNT, SUM and UNIQUE_COUNT and null for an empty window of MIN, MAX, AVG and
 * LATEST. {@code eventCount}: the events that went into the value (COUNT: every matching event).
 */
public record MeterRow(Instant windowStart, Instant windowEnd, String customerId, Map<String, Object> groupBy,
        BigDecimal value, long eventCount) {
}
