package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.meter.Meter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where meter definitions live. The store guarantees that names are unique among an account's live meters, under
 * concurrency (a unique index, not a check then write).
 */
public interface MeterStore {

    /** @return false when a live meter of the account already has the name (nothing stored) */
    boolean insert(Meter meter);

    /**
     * Replaces a live meter's row: its definition and, to delete it, its {@code deletedAt}. Nothing changes when
     * the stored meter is absent or already deleted (true is returned then too: the caller reads it back).
     *
     * @return false when the new name is taken by another live meter (nothing changed)
     */
    boolean update(Meter meter);

    Optional<Meter> findById(AccountId accountId, UUID id);

    Optional<Meter> findLiveByName(AccountId accountId, String name);

    /**
     * Live meters, oldest first (by id, a UUIDv7, compared as PostgreSQL compares uuid), filtered. With
     * {@code after}: the first {@code limit} strictly after it; with {@code before}: the last {@code limit} strictly
     * before it (the page just before the cursor), still oldest first.
     */
    List<Meter> findLive(AccountId accountId, MeterFilter filter, UUID after, UUID before, int limit);

    long countLive(AccountId accountId, MeterFilter filter);
}
