package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.IngestOutcome.Kind;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.Stages;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * One group mixing what the writer tells apart: keys never seen (inserted at once), keys already current
 * (locked, looked up, then superseded or ignored) and keys that come back later in the same group. The outcomes
 * must be those of applying the requests one after the other.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class EventBatchWriterTest {

    @Inject
    EventBatchWriter writer;

    @Inject
    PanacheUsageEventStore store;

    @Inject
    PanacheAccountStore accounts;

    @Inject
    EventTableStatistics statistics;

    @Inject
    AgroalDataSource dataSource;

    private final UuidV7Generator ids = new UuidV7Generator(Clock.systemUTC());

    /**
     * The group comes right after one of new keys only (the stored events), so the writer first tries a plain
     * insert, finds keys taken, rolls the transaction back and sorts the keys out with ON CONFLICT.
     */
    @Test
    void aMixedGroupHasTheOutcomesOfItsRequestsAppliedInOrder() {
        AccountId account = new AccountService(accounts, Clock.systemUTC(), ids).create("writer test").account().id();
        NewEvent storedLast = event(account, "stored-last", 1);
        NewEvent storedFirst = event(account, "stored-first", 1);
        Stages.join(store.store(account, SupersedeRule.LAST_WINS, List.of(storedLast, storedFirst)));

        NewEvent fresh = event(account, "fresh", 1);
        NewEvent repeated1 = event(account, "repeated", 1);
        NewEvent replacesStored = event(account, "stored-last", 2);
        NewEvent ignoredByStored = event(account, "stored-first", 2);
        NewEvent repeated2 = event(account, "repeated", 2);
        NewEvent repeated3 = event(account, "repeated", 3);
        NewEvent replayOfFresh = new NewEvent(new UsageEvent(ids.newId(), account, fresh.event().customerId(),
                fresh.event().eventId(), fresh.event().eventName(), fresh.event().timestamp(),
                fresh.event().properties(), Source.GRPC, fresh.event().receivedAt(), null, null), true);

        List<List<IngestOutcome>> outcomes = writer.write(List.of(
                new WriteRequest(account, SupersedeRule.LAST_WINS, List.of(fresh, repeated1, replacesStored)),
                new WriteRequest(account, SupersedeRule.FIRST_WINS, List.of(ignoredByStored, repeated2)),
                new WriteRequest(account, SupersedeRule.LAST_WINS, List.of(repeated3, replayOfFresh))));

        assertThat(outcomes.get(0)).extracting(IngestOutcome::kind)
                .containsExactly(Kind.CREATED, Kind.CREATED, Kind.SUPERSEDED_PREVIOUS);
        assertThat(outcomes.get(0).get(2).supersededId()).isEqualTo(storedLast.event().id());
        assertThat(outcomes.get(1)).extracting(IngestOutcome::kind)
                .containsExactly(Kind.DUPLICATE_IGNORED, Kind.DUPLICATE_IGNORED);
        assertThat(outcomes.get(1).get(0).event().id()).isEqualTo(storedFirst.event().id());
        assertThat(outcomes.get(1).get(1).event().id()).isEqualTo(repeated1.event().id());
        assertThat(outcomes.get(2)).extracting(IngestOutcome::kind)
                .containsExactly(Kind.SUPERSEDED_PREVIOUS, Kind.REPLAY);
        assertThat(outcomes.get(2).get(0).supersededId()).isEqualTo(repeated1.event().id());
        assertThat(outcomes.get(2).get(1).event().id()).isEqualTo(fresh.event().id());

        assertThat(current(account, storedLast)).isEqualTo(replacesStored.event().id());
        assertThat(current(account, storedFirst)).isEqualTo(storedFirst.event().id());
        assertThat(current(account, fresh)).isEqualTo(fresh.event().id());
        assertThat(current(account, repeated1)).isEqualTo(repeated3.event().id());
        assertThat(store.findById(account, repeated1.event().id()).orElseThrow().supersededBy())
                .isEqualTo(repeated3.event().id());
        assertThat(store.findById(account, storedLast.event().id()).orElseThrow().supersededBy())
                .isEqualTo(replacesStored.event().id());
        assertThat(store.findById(account, repeated2.event().id())).isEmpty();
        assertThat(store.findById(account, replayOfFresh.event().id())).isEmpty();
    }

    @Test
    void theWriterAnalyzesTheTableOnceItHasWrittenEnoughRows() throws Exception {
        AccountId account = new AccountService(accounts, Clock.systemUTC(), ids).create("statistics").account().id();
        long before = statistics.analyses();
        List<NewEvent> events = IntStream.range(0, 1000).mapToObj(i -> event(account, "bulk-" + i, i)).toList();

        writer.write(List.of(new WriteRequest(account, SupersedeRule.LAST_WINS, events)));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (statistics.analyses() == before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(statistics.analyses()).isGreaterThan(before);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select reltuples from pg_class where oid = 'usage_events'::regclass")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getDouble(1)).isGreaterThanOrEqualTo(1000);
        }
    }

    private UUID current(AccountId account, NewEvent any) {
        List<UsageEvent> current = store.find(account, new EventFilter(null, null, any.event().eventId(), null, null,
                false), SortOrder.ASC, null, 10);
        assertThat(current).hasSize(1);
        return current.get(0).id();
    }

    private NewEvent event(AccountId account, String eventId, int quantity) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new NewEvent(new UsageEvent(ids.newId(), account, new CustomerId("c"), new EventId(eventId),
                new EventName("api-call"), now, EventProperties.of(Map.of("n", quantity)), Source.GRPC, now,
                null, null), true);
    }
}
