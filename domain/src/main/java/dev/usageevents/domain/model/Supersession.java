package dev.usageevents.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A stored version that a new one replaces: the store sets its {@code supersededBy} and {@code supersededAt}. */
public record Supersession(UUID previousId, UUID successorId, Instant at) {

    public Supersession {
        Objects.requireNonNull(previousId, "previousId");
        Objects.requireNonNull(successorId, "successorId");
        Objects.requireNonNull(at, "at");
    }
}
