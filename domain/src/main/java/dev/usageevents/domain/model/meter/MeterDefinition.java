package dev.usageevents.domain.model.meter;

import dev.usageevents.domain.model.EventName;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A validated meter definition. {@code valueProperty} is null for COUNT and required otherwise;
 * {@code propertyFilters} maps a path to the values it may hold (ANDed across paths, ORed within a path; a path
 * in {@code propertiesToNegate} means NOT IN); filters compare the property's text, ignoring case when
 * {@code caseSensitive} is false. {@code unit} and {@code description} may be null.
 */
public record MeterDefinition(
        String name,
        EventName eventName,
        Aggregation aggregation,
        PropertyPath valueProperty,
        Map<PropertyPath, List<String>> propertyFilters,
        Set<PropertyPath> propertiesToNegate,
        boolean caseSensitive,
        String unit,
        String description) {

    public MeterDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(aggregation, "aggregation");
        propertyFilters = Map.copyOf(propertyFilters);
        propertiesToNegate = Set.copyOf(propertiesToNegate);
    }
}
