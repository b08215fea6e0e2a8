package dev.usageevents.domain.port.in;

/**
 * A page of an account's live meters, oldest first: optional filters (exact name, event name, aggregation), a
 * limit of 1–100 and at most one of the opaque cursors {@code after} / {@code before}.
 */
public record MeterListQuery(String name, String eventName, String aggregation, int limit, String after,
        String before) {
}
