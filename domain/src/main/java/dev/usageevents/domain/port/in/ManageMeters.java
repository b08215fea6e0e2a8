package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.Meter;
import java.util.Optional;
import java.util.UUID;

/**
 * Define what an account counts. Meters are account-wide: one defined through any API serves every API. Another
 * account's meter is absent (empty), never an error that reveals it.
 *
 * @see MeterNameTakenException
 */
public interface ManageMeters {

    /**
     * @throws InvalidInputException naming every bad field
     * @throws MeterNameTakenException when a live meter of the account already has the name
     */
    Meter create(AccountId accountId, MeterDraft draft);

    /** A live meter by id. */
    Optional<Meter> get(AccountId accountId, UUID id);

    /** A live meter by name (exact). */
    Optional<Meter> findByName(AccountId accountId, String name);

    MeterPage list(AccountId accountId, MeterListQuery query);

    /** Replaces the whole definition of a live meter; empty when absent. Same exceptions as {@link #create}. */
    Optional<Meter> replace(AccountId accountId, UUID id, MeterDraft draft);

    /** Marks a live meter deleted; empty when absent or already deleted. */
    Optional<Meter> delete(AccountId accountId, UUID id);
}
