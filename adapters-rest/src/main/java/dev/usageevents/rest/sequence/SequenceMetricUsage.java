package dev.usageevents.rest.sequence;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.usageevents.rest.common.PlainDecimal;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The answer of the {@code usage} extension: every window of the period for every group, empty ones included.
 * {@code windowSize} is null when the period is one window.
 */
public record SequenceMetricUsage(
        String metricId,
        String windowSize,
        String timeZone,
        String from,
        String to,
        List<Row> data,
        long ignoredEventCount) {

    /** One window of one group; {@code customerAlias} is null unless the query grouped by customer. */
    public record Row(
            String windowStart,
            String windowEnd,
            String customerAlias,
            Map<String, Object> groupBy,
            @JsonSerialize(using = PlainDecimal.class) BigDecimal value,
            long eventCount) {
    }
}
