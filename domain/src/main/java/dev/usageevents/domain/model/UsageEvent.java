package dev.usageevents.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One version of a usage event. {@code id} is assigned by the service (UUIDv7); {@code eventId} is the client's
 * key. A version is current until another version with the same event id supersedes it.
 */
public record UsageEvent(
        UUID id,
        AccountId accountId,
        CustomerId customerId,
        EventId eventId,
        EventName eventName,
        Instant timestamp,
        EventProperties properties,
        Source source,
        Instant receivedAt,
        UUID supersededBy,
        Instant supersededAt) {

    public UsageEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if ((supersededBy == null) != (supersededAt == null)) {
            throw new IllegalArgumentException("supersededBy and supersededAt go together");
        }
    }

    public boolean isCurrent() {
        return supersededBy == null;
    }

    public Optional<UUID> successor() {
        return Optional.ofNullable(supersededBy);
    }

    /** This version, marked as replaced by {@code successor} at {@code at}. */
    public UsageEvent supersededBy(UUID successor, Instant at) {
        return new UsageEvent(id, accountId, customerId, eventId, eventName, timestamp, properties, source,
                receivedAt, successor, at);
    }

    /**
     * Whether {@code other} carries the same usage as this event: same customer, name and properties, and the
     * same timestamp unless {@code ignoreTimestamp} (a retry that did not state a time is still a replay).
     */
    public boolean sameUsageAs(UsageEvent other, boolean ignoreTimestamp) {
        return customerId.equals(other.customerId)
                && eventName.equals(other.eventName)
                && (ignoreTimestamp || timestamp.equals(other.timestamp))
                && properties.sameAs(other.properties);
    }
}
