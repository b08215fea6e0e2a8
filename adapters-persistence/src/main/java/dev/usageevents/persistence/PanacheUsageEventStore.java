package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.PageCursor;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.out.UsageEventStore;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Events in PostgreSQL: written in groups by {@link GroupCommitter}, read through Panache. Under a retention,
 * reads see no event older than its cutoff, from the moment it passes (its partition is dropped later).
 */
@ApplicationScoped
public class PanacheUsageEventStore implements UsageEventStore, PanacheRepositoryBase<UsageEventEntity, UUID> {

    private final GroupCommitter committer;
    private final EventPartitions partitions;

    public PanacheUsageEventStore(GroupCommitter committer, EventPartitions partitions) {
        this.committer = committer;
        this.partitions = partitions;
    }

    @Override
    public CompletionStage<List<IngestOutcome>> store(AccountId accountId, SupersedeRule rule,
            List<NewEvent> events) {
        return committer.submit(new WriteRequest(accountId, rule, events));
    }

    @Override
    public Optional<UsageEvent> findById(AccountId accountId, UUID id) {
        Optional<Instant> cutoff = partitions.cutoff();
        return StoreFailures.inTransaction(() -> (cutoff.isPresent()
                ? find("id = ?1 and accountId = ?2 and timestamp >= ?3", id, accountId.value(), cutoff.get())
                : find("id = ?1 and accountId = ?2", id, accountId.value()))
                .firstResultOptional().map(UsageEventEntity::toDomain));
    }

    @Override
    public List<UsageEvent> find(AccountId accountId, EventFilter filter, SortOrder order, PageCursor startAfter,
            int limit) {
        Query query = Query.of(accountId, filter, partitions.cutoff());
        if (startAfter != null) {
            String past = order == SortOrder.ASC ? ">" : "<";
            query.where("(timestamp " + past + " :cursorTs or (timestamp = :cursorTs and id " + past + " :cursorId))");
            query.parameters.and("cursorTs", startAfter.timestamp()).and("cursorId", startAfter.id());
        }
        Sort.Direction direction = order == SortOrder.ASC ? Sort.Direction.Ascending : Sort.Direction.Descending;
        Sort sort = Sort.by("timestamp", direction).and("id", direction);
        return StoreFailures.inTransaction(() -> find(query.text(), sort, query.parameters).page(0, limit).list()
                .stream().map(UsageEventEntity::toDomain).toList());
    }

    @Override
    public long count(AccountId accountId, EventFilter filter) {
        Query query = Query.of(accountId, filter, partitions.cutoff());
        return StoreFailures.inTransaction(() -> count(query.text(), query.parameters));
    }

    /** The HQL condition and parameters of a filter. */
    private static final class Query {
        private final StringBuilder text = new StringBuilder("accountId = :account");
        private final Parameters parameters;

        private Query(AccountId accountId) {
            parameters = Parameters.with("account", accountId.value());
        }

        /** The filter's condition; and, under a retention, only events younger than its cutoff. */
        static Query of(AccountId accountId, EventFilter filter, Optional<Instant> cutoff) {
            Query query = new Query(accountId);
            cutoff.ifPresent(at -> {
                query.where("timestamp >= :cutoff");
                query.parameters.and("cutoff", at);
            });
            if (!filter.includeSuperseded()) {
                query.where("supersededBy is null");
            }
            if (filter.customerId() != null) {
                query.where("customerId = :customer");
                query.parameters.and("customer", filter.customerId().value());
            }
            if (filter.eventName() != null) {
                query.where("eventName = :name");
                query.parameters.and("name", filter.eventName().value());
            }
            if (filter.eventId() != null) {
                query.where("eventId = :eventId");
                query.parameters.and("eventId", filter.eventId().value());
            }
            if (filter.from() != null) {
                query.where("timestamp >= :from");
                query.parameters.and("from", filter.from());
            }
            if (filter.to() != null) {
                query.where("timestamp <= :to");
                query.parameters.and("to", filter.to());
            }
            return query;
        }

        void where(String condition) {
            text.append(" and ").append(condition);
        }

        String text() {
            return text.toString();
        }
    }
}
