package dev.usageevents.rest.sequence;

import java.util.List;
import java.util.Map;

/**
 * A meter as Sequence writes a usage metric, in the vendor's field order. {@code parameters} is always empty
 * (custom metrics are not supported) and {@code groupingProperty} always null (group at query time instead).
 */
public record SequenceUsageMetric(
        String id,
        String sequenceAccountId,
        String name,
        String description,
        String metricType,
        String eventType,
        String aggregationType,
        String aggregationProperty,
        String groupingProperty,
        String unit,
        Map<String, List<String>> propertyFilters,
        List<String> propertiesToNegate,
        boolean caseSensitive,
        List<Object> parameters,
        String createdAt,
        String deletedAt) {
}
