package dev.usageevents.domain.model.meter;

import dev.usageevents.domain.model.AccountId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What an account counts: a definition with its id (UUIDv7), creation time and, once deleted, deletion time. A
 * deleted meter keeps its id and answers no queries.
 */
public record Meter(UUID id, AccountId accountId, MeterDefinition definition, Instant createdAt, Instant deletedAt) {

    public Meter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean isLive() {
        return deletedAt == null;
    }

    public Optional<Instant> deleted() {
        return Optional.ofNullable(deletedAt);
    }
}
