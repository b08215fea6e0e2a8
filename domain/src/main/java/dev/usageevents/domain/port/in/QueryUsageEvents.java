package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.UsageEvent;
import java.util.Optional;
import java.util.UUID;

/** Read an account's events: one by id, or a page of a filtered list. Never another account's. */
public interface QueryUsageEvents {

    Optional<UsageEvent> get(AccountId accountId, UUID id);

    EventPage list(AccountId accountId, EventQuery query);
}
