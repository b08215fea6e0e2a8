package dev.usageevents.domain.testing;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventKey;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.PageCursor;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.SupersedePlan;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.Supersession;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.out.UsageEventStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/** The event store in memory, for tests: one lock stands in for the database's row locks. */
public final class InMemoryUsageEventStore implements UsageEventStore {

    private final Map<UUID, UsageEvent> events = new LinkedHashMap<>();

    @Override
    public CompletionStage<List<IngestOutcome>> store(AccountId accountId, SupersedeRule rule,
            List<NewEvent> batch) {
        return CompletableFuture.completedFuture(storeNow(rule, batch));
    }

    private synchronized List<IngestOutcome> storeNow(SupersedeRule rule, List<NewEvent> batch) {
        Set<EventKey> keys = batch.stream().map(NewEvent::key).collect(Collectors.toSet());
        List<UsageEvent> current = events.values().stream()
                .filter(e -> e.isCurrent() && keys.contains(EventKey.of(e)))
                .toList();
        SupersedePlan plan = new SupersedePlan(keys, current);
        List<IngestOutcome> outcomes = plan.apply(rule, batch);
        for (Supersession s : plan.updates()) {
            events.computeIfPresent(s.previousId(), (id, e) -> e.supersededBy(s.successorId(), s.at()));
        }
        for (UsageEvent e : plan.inserts()) {
            events.put(e.id(), e);
        }
        return outcomes;
    }

    @Override
    public synchronized Optional<UsageEvent> findById(AccountId accountId, UUID id) {
        return Optional.ofNullable(events.get(id)).filter(e -> e.accountId().equals(accountId));
    }

    @Override
    public synchronized List<UsageEvent> find(AccountId accountId, EventFilter filter, SortOrder order,
            PageCursor startAfter, int limit) {
        int direction = order == SortOrder.ASC ? 1 : -1;
        return events.values().stream()
                .filter(e -> e.accountId().equals(accountId) && filter.matches(e))
                .filter(e -> startAfter == null || direction * compare(PageCursor.of(e), startAfter) > 0)
                .sorted((a, b) -> direction * compare(PageCursor.of(a), PageCursor.of(b)))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized long count(AccountId accountId, EventFilter filter) {
        return events.values().stream().filter(e -> e.accountId().equals(accountId) && filter.matches(e)).count();
    }

    /** Every stored version of every account, current or superseded, in the order they were stored. */
    public synchronized List<UsageEvent> versions() {
        return List.copyOf(events.values());
    }

    /** Order by (timestamp, id), ids compared as unsigned 128-bit numbers, as PostgreSQL orders uuid. */
    private static int compare(PageCursor a, PageCursor b) {
        int byTime = a.timestamp().compareTo(b.timestamp());
        if (byTime != 0) {
            return byTime;
        }
        int high = Long.compareUnsigned(a.id().getMostSignificantBits(), b.id().getMostSignificantBits());
        return high != 0 ? high
                : Long.compareUnsigned(a.id().getLeastSignificantBits(), b.id().getLeastSignificantBits());
    }
}
