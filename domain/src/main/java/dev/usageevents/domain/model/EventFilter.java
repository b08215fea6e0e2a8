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

    public EventFilter {
        if (from != null && to != null && from.isAfter(to)) {
            throw InvalidInputException.of("from", "must not be after the end of the time range");
        }
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
