package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.PageCursor;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.UsageEvent;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Where events live. The store, not the caller, is the arbiter of the supersede rules. */
public interface UsageEventStore {

    /**
     * Stores a batch of one account's events atomically. Implementations load the current events for the
     * batch's keys and apply a {@link dev.usageevents.domain.model.SupersedePlan} in the same transaction that
     * writes, so that the rules hold across threads and across instances. Never blocks waiting for the commit:
     * the stage completes after it, with one outcome per event, or fails and nothing of the batch is stored
     * ({@link StoreUnavailableException} when the store cannot commit, or is too busy to take the batch).
     */
    CompletionStage<List<IngestOutcome>> store(AccountId accountId, SupersedeRule rule, List<NewEvent> events);

    Optional<UsageEvent> findById(AccountId accountId, UUID id);

    /**
     * Up to {@code limit} events matching the filter, in {@code order} by (timestamp, id), strictly past
     * {@code startAfter} in that order (from the start when it is null).
     */
    List<UsageEvent> find(AccountId accountId, EventFilter filter, SortOrder order, PageCursor startAfter, int limit);

    long count(AccountId accountId, EventFilter filter);
}
