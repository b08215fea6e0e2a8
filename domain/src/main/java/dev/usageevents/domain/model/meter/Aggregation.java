package dev.usageevents.domain.model.meter;

/**
 * How a meter folds the values of the events it counts. Every aggregation but {@link #COUNT} reads a value
 * property; SUM, MIN, MAX, AVG and LATEST read a JSON number or a string holding a decimal number, UNIQUE_COUNT
 * counts distinct numbers and strings ({@code 1} and {@code "1"} are distinct).
 */
public enum Aggregation {
    COUNT, SUM, UNIQUE_COUNT, MIN, MAX, AVG, LATEST;

    public boolean needsValueProperty() {
        return this != COUNT;
    }
}
