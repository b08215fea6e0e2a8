package dev.usageevents.domain.model;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What ingesting one event did. {@code event} is the version that is current for its event id afterwards:
 * the new one ({@link Kind#CREATED}, {@link Kind#SUPERSEDED_PREVIOUS}) or the one already stored
 * ({@link Kind#DUPLICATE_IGNORED}, {@link Kind#REPLAY}).
 */
public record IngestOutcome(Kind kind, UsageEvent event, UUID supersededId) {

    public enum Kind {
        /** Stored; no event with its event id was current. */
        CREATED,
        /** Stored and made current; the previous version is kept, linked to it (last wins). */
        SUPERSEDED_PREVIOUS,
        /** Not stored: an event with its event id is current and stays so (first wins). */
        DUPLICATE_IGNORED,
        /** Not stored: the current event carries exactly the same usage (a client retry). */
        REPLAY
    }

    public IngestOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(event, "event");
        if ((kind == Kind.SUPERSEDED_PREVIOUS) != (supersededId != null)) {
            throw new IllegalArgumentException("supersededId is set exactly for SUPERSEDED_PREVIOUS");
        }
    }

    public boolean stored() {
        return kind == Kind.CREATED || kind == Kind.SUPERSEDED_PREVIOUS;
    }

    public Optional<UUID> superseded() {
        return Optional.ofNullable(supersededId);
    }
}
