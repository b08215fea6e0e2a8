package dev.usageevents.domain.model;

/**
 * The client's id of an event (Mantle {@code eventId}, Sequence {@code customerEventId}): the key of the
 * supersede rules. At most one current event exists per account and event id.
 */
public record EventId(String value) {

    public static final String FIELD = "eventId";

    public EventId {
        Identifier.validate(FIELD, value);
    }

    @Override
    public String toString() {
        return value;
    }
}
