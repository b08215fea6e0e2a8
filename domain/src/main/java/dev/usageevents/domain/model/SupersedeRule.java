package dev.usageevents.domain.model;

/** What happens when an event arrives with the event id of a current event (and is not an exact replay). */
public enum SupersedeRule {
    /** The new event becomes current; the old one is kept, linked to its successor (Sequence, gRPC default). */
    LAST_WINS,
    /** The current event stays; the new one is acknowledged and not stored (Mantle: event id deduplicates). */
    FIRST_WINS
}
