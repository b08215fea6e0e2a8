package dev.usageevents.domain.model;

import java.time.Instant;

/**
 * Which events a list returns; every field is optional. Time bounds are inclusive and millisecond precise.
 * Superseded versions are left out unless {@code includeSuperseded}.
 */
public record EventFilter(
        CustomerId customerId,
        EventName eventName,
        EventId eventId,
        Instant from,
        Instant to,
        boolean includeSuperseded) {

    public static final EventFilter ALL_CURRENT = new EventFilter(null, null, null, null, null, false);

    /** The first instant a time bound may name: a bound is within the years 1 to 9999, as in ISO 8601. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The last instant a time bound may name. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public EventFilter {
        checkBound("from", from);
        checkBound("to", to);
        if (from != null && to != null && from.isAfter(to)) {
            throw InvalidInputException.of("from", "must not be after the end of the time range");
        }
    }

    /** The bound itself when it lies between {@link #EARLIEST} and {@link #LATEST}; else invalid input of {@code field}. */
    public static Instant checkBound(String field, Instant bound) {
        if (bound != null && (bound.isBefore(EARLIEST) || bound.isAfter(LATEST))) {
            throw InvalidInputException.of(field, "must be within the years 1 to 9999");
        }
        return bound;
    }

    public boolean matches(UsageEvent e) {
        return (includeSuperseded || e.isCurrent())
                && (customerId == null || customerId.equals(e.customerId()))
                && (eventName == null || eventName.equals(e.eventName()))
                && (eventId == null || eventId.equals(e.eventId()))
                && (from == null || !e.timestamp().isBefore(from))
                && (to == null || !e.timestamp().isAfter(to));
    }
}
