package dev.usageevents.domain.port.in;

import java.util.List;
import java.util.Map;

/**
 * A meter as a client sent it, before validation; absent fields are null. Field names in errors are the
 * domain's: {@code name}, {@code eventName}, {@code aggregation}, {@code valueProperty}, {@code propertyFilters},
 * {@code propertiesToNegate}, {@code unit}, {@code description}; adapters rename them to their schema's.
 */
public record MeterDraft(
        String name,
        String eventName,
        String aggregation,
        String valueProperty,
        Map<String, ?> propertyFilters,
        List<String> propertiesToNegate,
        Boolean caseSensitive,
        String unit,
        String description) {
}
