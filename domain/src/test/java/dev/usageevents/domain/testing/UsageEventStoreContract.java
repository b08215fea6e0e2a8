package dev.usageevents.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.IngestOutcome.Kind;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.PageCursor;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.out.UsageEventStore;
import dev.usageevents.domain.service.UuidV7Generator;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageEventStore} must do. Run against the in-memory store and against PostgreSQL; each test
 * works in an account of its own.
 */
public abstract class UsageEventStoreContract {

    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private final UuidV7Generator ids = new UuidV7Generator(Clock.systemUTC());

    protected abstract UsageEventStore store();

    /** An account the store accepts events for (the database needs its row). */
    protected abstract AccountId newAccount();

    protected NewEvent event(AccountId account, String eventId, String customer, Instant timestamp,
            Map<String, ?> properties) {
        return new NewEvent(new UsageEvent(ids.newId(), account, new CustomerId(customer), new EventId(eventId),
                new EventName("message-sent"), timestamp, EventProperties.of(properties), Source.GRPC,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), null, null), true);
    }

    private NewEvent event(AccountId account, String eventId, int length) {
        return event(account, eventId, "cust-1", T0, Map.of("length", length));
    }

    private List<UsageEvent> history(AccountId account, String eventId) {
        EventFilter filter = new EventFilter(null, null, new EventId(eventId), null, null, true);
        return store().find(account, filter, SortOrder.ASC, null, 10_000);
    }

    private IngestOutcome one(AccountId account, SupersedeRule rule, NewEvent event) {
        List<IngestOutcome> outcomes = Stages.join(store().store(account, rule, List.of(event)));
        assertThat(outcomes).hasSize(1);
        return outcomes.get(0);
    }

    @Test
    void storesAnEventAndFindsItById() {
        AccountId account = newAccount();
        NewEvent e = event(account, "e1", "cust-1", T0, Map.of("length", 500, "type", "text_message",
                "nested", Map.of("ok", true, "list", List.of(1, 2.5, "x"))));
        IngestOutcome outcome = one(account, SupersedeRule.LAST_WINS, e);

        assertThat(outcome.kind()).isEqualTo(Kind.CREATED);
        UsageEvent stored = store().findById(account, e.event().id()).orElseThrow();
        assertThat(stored.eventId().value()).isEqualTo("e1");
        assertThat(stored.timestamp()).isEqualTo(T0);
        assertThat(stored.properties().sameAs(e.event().properties())).isTrue();
        assertThat(stored.properties().values().get("length")).isEqualTo(500);
        assertThat(stored.isCurrent()).isTrue();
    }

    @Test
    void lastWinsMakesTheNewEventCurrentAndLinksThePrevious() {
        AccountId account = newAccount();
        NewEvent first = event(account, "e1", 1);
        NewEvent second = event(account, "e1", 2);
        one(account, SupersedeRule.LAST_WINS, first);
        IngestOutcome outcome = one(account, SupersedeRule.LAST_WINS, second);

        assertThat(outcome.kind()).isEqualTo(Kind.SUPERSEDED_PREVIOUS);
        assertThat(outcome.supersededId()).isEqualTo(first.event().id());
        assertThat(store().findById(account, first.event().id()).orElseThrow().supersededBy())
                .isEqualTo(second.event().id());
        assertThat(store().find(account, EventFilter.ALL_CURRENT, SortOrder.ASC, null, 10))
                .extracting(UsageEvent::id).containsExactly(second.event().id());
        assertThat(store().count(account, EventFilter.ALL_CURRENT)).isEqualTo(1);
    }

    @Test
    void firstWinsKeepsTheFirstEventAndStoresNothing() {
        AccountId account = newAccount();
        NewEvent first = event(account, "e1", 1);
        NewEvent second = event(account, "e1", 2);
        one(account, SupersedeRule.FIRST_WINS, first);
        IngestOutcome outcome = one(account, SupersedeRule.FIRST_WINS, second);

        assertThat(outcome.kind()).isEqualTo(Kind.DUPLICATE_IGNORED);
        assertThat(outcome.event().id()).isEqualTo(first.event().id());
        assertThat(store().findById(account, second.event().id())).isEmpty();
        assertThat(history(account, "e1")).extracting(UsageEvent::id).containsExactly(first.event().id());
    }

    @Test
    void anExactReplayIsANoOpUnderBothRules() {
        AccountId account = newAccount();
        NewEvent original = event(account, "e1", 1);
        one(account, SupersedeRule.LAST_WINS, original);
        for (SupersedeRule rule : SupersedeRule.values()) {
            IngestOutcome outcome = one(account, rule, event(account, "e1", 1));
            assertThat(outcome.kind()).isEqualTo(Kind.REPLAY);
            assertThat(outcome.event().id()).isEqualTo(original.event().id());
        }
        assertThat(history(account, "e1")).hasSize(1);
    }

    @Test
    void aReplayWithoutATimestampMatchesTheStoredOne() {
        AccountId account = newAccount();
        NewEvent original = event(account, "e1", 1);
        one(account, SupersedeRule.LAST_WINS, original);
        NewEvent retry = event(account, "e1", "cust-1", T0.plusSeconds(90), Map.of("length", 1));
        IngestOutcome outcome = one(account, SupersedeRule.LAST_WINS, new NewEvent(retry.event(), false));

        assertThat(outcome.kind()).isEqualTo(Kind.REPLAY);
        assertThat(outcome.event().id()).isEqualTo(original.event().id());
    }

    @Test
    void aDifferentTimestampIsNotAReplay() {
        AccountId account = newAccount();
        one(account, SupersedeRule.LAST_WINS, event(account, "e1", 1));
        IngestOutcome outcome = one(account, SupersedeRule.LAST_WINS,
                event(account, "e1", "cust-1", T0.plusSeconds(1), Map.of("length", 1)));
        assertThat(outcome.kind()).isEqualTo(Kind.SUPERSEDED_PREVIOUS);
    }

    @Test
    void withinOneBatchLastWinsChainsTheVersions() {
        AccountId account = newAccount();
        NewEvent a = event(account, "e1", 1);
        NewEvent b = event(account, "e1", 2);
        NewEvent c = event(account, "e1", 3);
        NewEvent other = event(account, "e2", 1);
        List<IngestOutcome> outcomes = Stages.join(store().store(account, SupersedeRule.LAST_WINS,
                List.of(a, b, other, c)));

        assertThat(outcomes).extracting(IngestOutcome::kind).containsExactly(Kind.CREATED,
                Kind.SUPERSEDED_PREVIOUS, Kind.CREATED, Kind.SUPERSEDED_PREVIOUS);
        assertThat(store().findById(account, a.event().id()).orElseThrow().supersededBy()).isEqualTo(b.event().id());
        assertThat(store().findById(account, b.event().id()).orElseThrow().supersededBy()).isEqualTo(c.event().id());
        assertThat(store().findById(account, c.event().id()).orElseThrow().isCurrent()).isTrue();
        assertThat(store().count(account, EventFilter.ALL_CURRENT)).isEqualTo(2);
    }

    @Test
    void withinOneBatchFirstWinsKeepsTheFirst() {
        AccountId account = newAccount();
        NewEvent a = event(account, "e1", 1);
        List<IngestOutcome> outcomes = Stages.join(store().store(account, SupersedeRule.FIRST_WINS,
                List.of(a, event(account, "e1", 2), event(account, "e1", 1))));

        assertThat(outcomes).extracting(IngestOutcome::kind)
                .containsExactly(Kind.CREATED, Kind.DUPLICATE_IGNORED, Kind.REPLAY);
        assertThat(history(account, "e1")).extracting(UsageEvent::id).containsExactly(a.event().id());
    }

    @Test
    void accountsAreIsolated() {
        AccountId mine = newAccount();
        AccountId theirs = newAccount();
        NewEvent a = event(mine, "shared-id", 1);
        NewEvent b = event(theirs, "shared-id", 2);
        assertThat(one(mine, SupersedeRule.LAST_WINS, a).kind()).isEqualTo(Kind.CREATED);
        assertThat(one(theirs, SupersedeRule.LAST_WINS, b).kind()).isEqualTo(Kind.CREATED);

        assertThat(store().findById(mine, b.event().id())).isEmpty();
        assertThat(store().find(mine, EventFilter.ALL_CURRENT, SortOrder.ASC, null, 10))
                .extracting(UsageEvent::id).containsExactly(a.event().id());
        assertThat(store().count(theirs, EventFilter.ALL_CURRENT)).isEqualTo(1);
    }

    @Test
    void pagesByKeysetInBothOrders() {
        AccountId account = newAccount();
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(event(account, "e" + i, "cust-1", T0.plusSeconds(i % 3), Map.of("i", i)));
        }
        Stages.join(store().store(account, SupersedeRule.LAST_WINS, batch));

        List<UsageEvent> asc = store().find(account, EventFilter.ALL_CURRENT, SortOrder.ASC, null, 10);
        assertThat(asc).hasSize(5);
        assertThat(asc).extracting(UsageEvent::timestamp).isSorted();
        List<UsageEvent> desc = store().find(account, EventFilter.ALL_CURRENT, SortOrder.DESC, null, 10);
        assertThat(desc).containsExactlyElementsOf(reversed(asc));

        List<UsageEvent> firstTwo = store().find(account, EventFilter.ALL_CURRENT, SortOrder.ASC, null, 2);
        List<UsageEvent> rest = store().find(account, EventFilter.ALL_CURRENT, SortOrder.ASC,
                PageCursor.of(firstTwo.get(1)), 10);
        assertThat(firstTwo).containsExactlyElementsOf(asc.subList(0, 2));
        assertThat(rest).containsExactlyElementsOf(asc.subList(2, 5));
        List<UsageEvent> back = store().find(account, EventFilter.ALL_CURRENT, SortOrder.DESC,
                PageCursor.of(asc.get(2)), 10);
        assertThat(back).containsExactlyElementsOf(reversed(asc.subList(0, 2)));
    }

    @Test
    void filtersByCustomerNameEventIdAndTime() {
        AccountId account = newAccount();
        Stages.join(store().store(account, SupersedeRule.LAST_WINS, List.of(
                event(account, "a", "alice", T0, Map.of()),
                event(account, "b", "bob", T0.plusSeconds(60), Map.of()),
                event(account, "c", "alice", T0.plusSeconds(120), Map.of()))));

        assertThat(ids(account, new EventFilter(new CustomerId("alice"), null, null, null, null, false)))
                .containsExactlyInAnyOrder("a", "c");
        assertThat(ids(account, new EventFilter(null, new EventName("message-sent"), null, null, null, false)))
                .hasSize(3);
        assertThat(ids(account, new EventFilter(null, new EventName("other"), null, null, null, false))).isEmpty();
        assertThat(ids(account, new EventFilter(null, null, new EventId("b"), null, null, false)))
                .containsExactly("b");
        assertThat(ids(account, new EventFilter(null, null, null, T0.plusSeconds(60), T0.plusSeconds(120), false)))
                .containsExactlyInAnyOrder("b", "c");
        assertThat(ids(account, new EventFilter(null, null, null, null, T0.plusSeconds(59), false)))
                .containsExactly("a");
        assertThat(store().count(account, new EventFilter(new CustomerId("alice"), null, null, T0.plusSeconds(1),
                null, false))).isEqualTo(1);
    }

    @Test
    void concurrentSupersedesLeaveOneCurrentEventAndACompleteChain() throws Exception {
        AccountId account = newAccount();
        int threads = 50;
        List<Callable<IngestOutcome>> calls = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            NewEvent e = event(account, "contested", i);
            calls.add(() -> one(account, SupersedeRule.LAST_WINS, e));
        }
        List<IngestOutcome> outcomes = runTogether(calls);

        assertThat(outcomes).extracting(IngestOutcome::kind).containsOnly(Kind.CREATED, Kind.SUPERSEDED_PREVIOUS);
        assertThat(outcomes).filteredOn(o -> o.kind() == Kind.CREATED).hasSize(1);
        List<UsageEvent> versions = history(account, "contested");
        assertThat(versions).hasSize(threads);
        assertThat(versions).filteredOn(UsageEvent::isCurrent).hasSize(1);

        Map<UUID, UsageEvent> byId = new HashMap<>();
        versions.forEach(v -> byId.put(v.id(), v));
        Set<UUID> successors = new HashSet<>();
        for (UsageEvent v : versions) {
            if (!v.isCurrent()) {
                assertThat(byId).containsKey(v.supersededBy());
                assertThat(successors.add(v.supersededBy())).as("each version has one predecessor").isTrue();
            }
        }
        UsageEvent root = versions.stream().filter(v -> !successors.contains(v.id())).findFirst().orElseThrow();
        int chain = 1;
        for (UsageEvent v = root; !v.isCurrent(); v = byId.get(v.supersededBy())) {
            chain++;
        }
        assertThat(chain).as("the chain from the first version reaches every version").isEqualTo(threads);
    }

    @Test
    void concurrentFirstWinsStoresExactlyOne() throws Exception {
        AccountId account = newAccount();
        List<Callable<IngestOutcome>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            NewEvent e = event(account, "dedup", i);
            calls.add(() -> one(account, SupersedeRule.FIRST_WINS, e));
        }
        List<IngestOutcome> outcomes = runTogether(calls);

        assertThat(outcomes).filteredOn(o -> o.kind() == Kind.CREATED).hasSize(1);
        UUID winner = outcomes.stream().filter(o -> o.kind() == Kind.CREATED).findFirst().orElseThrow().event().id();
        assertThat(outcomes).allSatisfy(o -> assertThat(o.event().id()).isEqualTo(winner));
        assertThat(history(account, "dedup")).hasSize(1);
    }

    private List<String> ids(AccountId account, EventFilter filter) {
        return store().find(account, filter, SortOrder.ASC, null, 100).stream().map(e -> e.eventId().value()).toList();
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    private static <T> List<T> runTogether(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
