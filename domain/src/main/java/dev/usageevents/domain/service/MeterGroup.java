package dev.usageevents.domain.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * One group of a meter answer: the customer (null unless grouped by customer) and the text of each grouped
 * property, in the query's order (null when the property is missing or has no text, see
 * {@link dev.usageevents.domain.model.meter.MeterValues#text}). Groups are ordered by customer, then by each value
 * in turn, nulls first, texts by {@link String#compareTo} (UTF-16 code units).
 */
public record MeterGroup(String customerId, List<String> values) implements Comparable<MeterGroup> {

    private static final Comparator<String> TEXT = Comparator.nullsFirst(Comparator.naturalOrder());

    public MeterGroup {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    public static final MeterGroup NONE = new MeterGroup(null, List.of());

    @Override
    public int compareTo(MeterGroup other) {
        int c = TEXT.compare(customerId, other.customerId);
        for (int i = 0; c == 0 && i < Math.min(values.size(), other.values.size()); i++) {
            c = TEXT.compare(values.get(i), other.values.get(i));
        }
        return c != 0 ? c : Integer.compare(values.size(), other.values.size());
    }
}
