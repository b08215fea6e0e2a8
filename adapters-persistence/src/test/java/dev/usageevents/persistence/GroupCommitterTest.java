package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.NewEvent;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on real PostgreSQL: concurrent writers share commits, and a group that fails to commit
 * acknowledges nothing. Commit failures are injected with a deferred constraint trigger, which fails the
 * transaction at COMMIT, after every statement of the group succeeded.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class GroupCommitterTest {

    private static final int WRITERS = 64;

    @Inject
    GroupCommitter committer;

    @Inject
    PanacheUsageEventStore store;

    @Inject
    PanacheAccountStore accounts;

    @Inject
    AgroalDataSource dataSource;

    private final UuidV7Generator ids = new UuidV7Generator(Clock.systemUTC());

    @AfterEach
    void removeFaults() throws SQLException {
        sql("drop trigger if exists test_fail_commit on usage_events",
                "drop function if exists test_fail_commit()",
                "drop table if exists test_commit_faults");
    }

    @Test
    void concurrentWritesShareCommitsAndAllAreStored() throws Exception {
        AccountId account = newAccount();
        long groupsBefore = committer.groupsCommitted();

        List<Result> results = writeConcurrently(account, i -> "customer");

        assertThat(results).allSatisfy(r -> assertThat(r.error()).isNull());
        assertThat(store.count(account, EventFilter.ALL_CURRENT)).isEqualTo(WRITERS);
        assertThat(committer.groupsCommitted() - groupsBefore).as("commits for %d writes", WRITERS)
                .isLessThan(WRITERS);
    }

    @Test
    void aGroupThatFailsToCommitAcknowledgesNothing() throws Exception {
        AccountId account = newAccount();
        injectCommitFailureFor("*");

        List<Result> results = writeConcurrently(account, i -> "customer");

        assertThat(results).allSatisfy(r -> assertThat(r.error()).isNotNull());
        assertThat(store.count(account, EventFilter.ALL_CURRENT)).isZero();
    }

    @Test
    void oneBadRequestFailsAloneAndTheOthersAreAcknowledgedOnlyOnceCommitted() throws Exception {
        AccountId account = newAccount();
        injectCommitFailureFor("poison");

        List<Result> results = writeConcurrently(account, i -> i % 8 == 0 ? "poison" : "customer");

        for (Result r : results) {
            boolean stored = store.findById(account, r.event().event().id()).isPresent();
            if (r.event().event().customerId().value().equals("poison")) {
                assertThat(r.error()).isNotNull();
                assertThat(stored).isFalse();
            } else {
                assertThat(r.error()).isNull();
                assertThat(stored).isTrue();
            }
        }
    }

    private record Result(NewEvent event, List<IngestOutcome> outcomes, Throwable error) {
    }

    private List<Result> writeConcurrently(AccountId account, java.util.function.IntFunction<String> customer)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Result>> futures = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                NewEvent event = event(account, "e" + i, customer.apply(i));
                Callable<Result> call = () -> {
                    start.await();
                    try {
                        return new Result(event,
                                Stages.join(store.store(account, SupersedeRule.LAST_WINS, List.of(event))), null);
                    } catch (RuntimeException e) {
                        return new Result(event, null, e);
                    }
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<Result> results = new ArrayList<>();
            for (Future<Result> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private NewEvent event(AccountId account, String eventId, String customer) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new NewEvent(new UsageEvent(ids.newId(), account, new CustomerId(customer), new EventId(eventId),
                new EventName("api-call"), now, EventProperties.of(Map.of("n", 1)), Source.GRPC, now, null, null),
                true);
    }

    private AccountId newAccount() {
        return new AccountService(accounts, Clock.systemUTC(), ids).create("group commit test").account().id();
    }

    private void injectCommitFailureFor(String customer) throws SQLException {
        sql("create table test_commit_faults (customer_id text)",
                "insert into test_commit_faults values ('" + customer + "')",
                """
                create function test_fail_commit() returns trigger language plpgsql as $$
                begin
                  if exists (select 1 from test_commit_faults f
                             where f.customer_id = '*' or f.customer_id = new.customer_id) then
                    raise exception 'injected commit failure for %', new.customer_id;
                  end if;
                  return null;
                end $$""",
                """
                create constraint trigger test_fail_commit after insert on usage_events
                deferrable initially deferred for each row execute function test_fail_commit()""");
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
