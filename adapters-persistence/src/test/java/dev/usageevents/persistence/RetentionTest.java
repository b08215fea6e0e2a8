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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.domain.service.MeterValidation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code usage.retention}: events older than it are no longer seen at once, leave with their partition at the
 * next maintenance, and their event id is free again.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(RetentionTest.FourHundredDays.class)
class RetentionTest {

    public static class FourHundredDays implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("usage.retention", "P400D");
        }
    }

    private final UuidV7Generator ids = new UuidV7Generator(Clock.systemUTC());

    @Inject
    PanacheUsageEventStore store;

    @Inject
    PanacheAccountStore accounts;

    @Inject
    EventPartitions partitions;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PostgresMeterReader meters;

    @Test
    void expiredEventsAreNotSeenThenLeaveWithTheirPartition() throws Exception {
        AccountId account = new AccountService(accounts, Clock.systemUTC(), new UuidV7Generator(Clock.systemUTC()))
                .create("retention test").account().id();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant old = now.minus(500, ChronoUnit.DAYS);
        YearMonth oldMonth = YearMonth.from(old.atOffset(ZoneOffset.UTC));
        UsageEvent expired = store(account, "old", old, SupersedeRule.LAST_WINS).event();
        UsageEvent kept = store(account, "new", now.minus(1, ChronoUnit.DAYS), SupersedeRule.LAST_WINS).event();

        // Seen no more from the start: the cutoff applies to every read.
        assertThat(store.findById(account, expired.id())).isEmpty();
        assertThat(store.findById(account, kept.id())).isPresent();
        assertThat(store.find(account, EventFilter.ALL_CURRENT, SortOrder.ASC, null, 100)).extracting(UsageEvent::id)
                .containsExactly(kept.id());
        assertThat(store.count(account, new EventFilter(null, null, null, null, null, true))).isEqualTo(1);
        Meter counting = new Meter(ids.newId(), account, MeterValidation.definition(new MeterDraft("retained events",
                "retained", "COUNT", null, null, null, null, null, null)), now, null);
        MeterResult counted = meters.aggregate(counting, new MeterWindows(now.minus(600, ChronoUnit.DAYS),
                now.plus(1, ChronoUnit.HOURS), null, ZoneOffset.UTC, List.of(), false, List.of(), now.plusSeconds(1)));
        assertThat(counted.rows()).extracting(MeterRow::eventCount).containsExactly(1L);

        // Its month gets a partition (the backfill moves out of the default one), which maintenance then drops.
        try (Connection connection = dataSource.getConnection()) {
            EventPartitions.ensure(connection, oldMonth);
            assertThat(count(connection, "select count(*) from usage_events_" + oldMonth.toString().replace('-', '_')
                    + " where id = '" + expired.id() + "'")).isEqualTo(1);
        }
        partitions.maintain();
        try (Connection connection = dataSource.getConnection()) {
            assertThat(count(connection, "select count(*) from pg_class where relname = 'usage_events_"
                    + oldMonth.toString().replace('-', '_') + "'")).isZero();
            assertThat(count(connection, "select count(*) from usage_events where id = '" + expired.id() + "'"))
                    .isZero();
            assertThat(count(connection, "select count(*) from usage_event_keys where account_id = '"
                    + account.value() + "'")).isEqualTo(1);
        }

        // The expired event's id is free: sent again, it is a new event, not a successor.
        IngestOutcome again = store(account, "old", now, SupersedeRule.LAST_WINS);
        assertThat(again.kind()).isEqualTo(IngestOutcome.Kind.CREATED);
        assertThat(store.findById(account, again.event().id()).orElseThrow().supersededBy()).isNull();
        assertThat(store.findById(account, kept.id())).isPresent();
    }

    private IngestOutcome store(AccountId account, String eventId, Instant timestamp, SupersedeRule rule) {
        NewEvent event = new NewEvent(new UsageEvent(ids.newId(), account, new CustomerId("c"),
                new EventId(eventId), new EventName("retained"), timestamp, EventProperties.of(Map.of("n", 1)),
                Source.GRPC, Instant.now().truncatedTo(ChronoUnit.MILLIS), null, null), true);
        List<IngestOutcome> outcomes = Stages.join(store.store(account, rule, List.of(event)));
        return outcomes.get(0);
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
