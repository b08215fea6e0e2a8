package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.domain.port.in.QueryMeters;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.MeterAggregator;
import dev.usageevents.domain.service.MeterValidation;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.MeterReaderContract;
import dev.usageevents.domain.testing.Stages;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The pre-aggregates never change an answer: every meter, asked a set of questions (calendar months, Berlin days
 * across a DST change, Kathmandu hours, rolling windows that end at an odd instant, minutes, by customer, for some
 * customers, {@code asOf} each earlier step), answers exactly what the reference {@link MeterAggregator} answers over
 * every stored version — before the months are built, once built, right after each correction (its quarters
 * logged, not yet folded) and after it is folded: a burst of supersedes that move events in time and to other
 * customers, voids, late events into a month already queried (a customer crossing the dense threshold with them),
 * new events merged into days and quarters already folded, a meter created after its events, and one whose
 * definition changes.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MeterRollupsTest {

    private static final Instant JAN = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant APR = Instant.parse("2024-04-01T00:00:00Z");
    private static final Instant ODD = Instant.parse("2024-03-20T13:07:11.123Z");
    /** Where the rolling periods end: at an odd instant, on a quarter, at midnight. */
    private static final List<Instant> ENDS = List.of(ODD, Instant.parse("2024-02-14T10:45:00Z"),
            Instant.parse("2024-03-01T00:00:00Z"));
    private static final List<Duration> ROLLING = List.of(Duration.ofHours(24), Duration.ofDays(7),
            Duration.ofDays(30));

    private final UuidV7Generator ids = new UuidV7Generator(Clock.systemUTC());
    private final Random random = new Random(16L);
    private final Map<String, UsageEvent> latest = new LinkedHashMap<>();
    private final List<Instant> receipts = new ArrayList<>();
    private Instant received = Instant.parse("2024-06-01T00:00:00Z");

    @Inject
    PanacheUsageEventStore store;

    @Inject
    PanacheAccountStore accounts;

    @Inject
    JdbcMeterStore meterStore;

    @Inject
    PostgresMeterReader reader;

    @Inject
    MeterRollups rollups;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyAnswerEqualsTheReferenceThroughEveryCorrection() throws Exception {
        AccountId account = new AccountService(accounts, Clock.systemUTC(), new UuidV7Generator(Clock.systemUTC()))
                .create("rollups").account().id();
        List<Meter> meters = new ArrayList<>();
        for (String[] m : new String[][] {{"COUNT", null}, {"SUM", "v"}, {"UNIQUE_COUNT", "user"}, {"MIN", "v"},
                {"MAX", "v"}, {"AVG", "v"}, {"LATEST", "v"}}) {
            meters.add(meter(account, m[0], m[1], null));
        }
        meters.add(meter(account, "SUM", "v", Map.of("channel", List.of("email"))));
        for (int i = 0; i < 900; i++) {
            send(account, "e" + i, customer(), time(JAN, APR), properties());
        }
        // values on either side of each rolling start and end within their day, some on both sides
        for (Instant end : ENDS) {
            for (Duration rolling : ROLLING) {
                Instant start = end.minus(rolling);
                String at = "@" + start;
                send(account, "before" + at, "edges", start.minusSeconds(90), user("before" + at));
                send(account, "after" + at, "edges", start.plusSeconds(90), user("after" + at));
                send(account, "both" + at, "edges", start.minusSeconds(30), user("both" + at));
                send(account, "both-again" + at, "edges", start.plusSeconds(30), user("both" + at));
            }
            send(account, "last@" + end, "edges", end.minusSeconds(60), user("last@" + end));
            send(account, "later@" + end, "edges", end.plusSeconds(60), user("later@" + end));
        }
        // the dense customer of February
        for (int i = 0; i < 120; i++) {
            send(account, "d" + i, "dense", time(Instant.parse("2024-02-01T00:00:00Z"), APR), properties());
        }
        flush(account);
        check(account, meters, "before any month is built");

        buildAll(account, meters);
        assertThat(count("select count(*) from meter_quarters where account_id = '" + account.value()
                + "' and customer_id = 'dense'")).as("quarters of the dense customer").isPositive();
        check(account, meters, "once built");
        proveTheRollupsAreRead(account, meters.get(1));

        // a burst of supersedes: other times, other customers, other values
        for (int i = 0; i < 150; i++) {
            String eventId = "e" + random.nextInt(900);
            UsageEvent previous = latest.get(eventId);
            send(account, eventId, random.nextBoolean() ? customer() : previous.customerId().value(),
                    random.nextBoolean() ? time(JAN, APR) : previous.timestamp(),
                    random.nextBoolean() ? properties() : previous.properties().values());
        }
        flush(account);
        assertThat(count("select count(*) from meter_changes where account_id = '" + account.value() + "'"))
                .as("quarters logged by the supersedes").isPositive();
        check(account, meters, "after supersedes, not folded");
        rollups.maintain(Instant.EPOCH);
        check(account, meters, "after supersedes, folded");

        // voids
        for (int i = 0; i < 60; i++) {
            UsageEvent previous = latest.get("e" + random.nextInt(900));
            send(account, previous.eventId().value(), QueryMeters.VOID_CUSTOMER, previous.timestamp(),
                    previous.properties().values());
        }
        flush(account);
        check(account, meters, "after voids, not folded");
        rollups.maintain(Instant.EPOCH);
        check(account, meters, "after voids, folded");

        // late events into January, already built and queried; "late" crosses the dense threshold with them
        for (int i = 0; i < 60; i++) {
            send(account, "late" + i, "late", time(JAN, Instant.parse("2024-02-01T00:00:00Z")), properties());
        }
        flush(account);
        check(account, meters, "after late events, not folded");
        rollups.maintain(Instant.EPOCH);
        assertThat(count("select count(*) from meter_dense where account_id = '" + account.value()
                + "' and customer_id = 'late'")).as("late became dense").isPositive();
        check(account, meters, "after late events, folded");

        // new events of customers and days already folded: merged into the folds they join
        for (int i = 0; i < 150; i++) {
            send(account, "more" + i, i % 3 == 0 ? "dense" : customer(), time(JAN, APR), properties());
        }
        flush(account);
        check(account, meters, "after more events, not folded");
        rollups.maintain(Instant.EPOCH);
        check(account, meters, "after more events, folded");

        // a meter created after its events, and a meter whose definition changes
        Meter created = meter(account, "MAX", "v", Map.of("channel", List.of("sms")));
        meters.add(created);
        check(account, meters, "a new meter, not built");
        buildAll(account, meters);
        check(account, meters, "a new meter, built");
        Meter changed = new Meter(created.id(), account, MeterValidation.definition(new MeterDraft(
                created.definition().name(), "call", "SUM", "v", Map.of("channel", List.of("email", "sms")), null,
                null, null, null)), created.createdAt(), null);
        assertThat(meterStore.update(changed)).isTrue();
        meters.set(meters.size() - 1, changed);
        check(account, meters, "a changed meter, not rebuilt");
        buildAll(account, meters);
        check(account, meters, "a changed meter, rebuilt");

        // a deleted meter's pre-aggregates leave at the next round
        Meter gone = meters.get(0);
        String rows = "select count(*) from meter_days where account_id = '" + account.value() + "' and meter_id = '"
                + gone.id() + "'";
        assertThat(count(rows)).isPositive();
        assertThat(meterStore.update(new Meter(gone.id(), account, gone.definition(), gone.createdAt(),
                Instant.now()))).isTrue();
        rollups.maintain(Instant.EPOCH);
        assertThat(count(rows)).isZero();
        assertThat(count("select count(*) from meter_months where meter_id = '" + gone.id() + "'")).isZero();
    }

    /** Changes a folded value behind the reader's back: its answer must follow, so the rollups are what it read. */
    private void proveTheRollupsAreRead(AccountId account, Meter sum) throws Exception {
        MeterWindows february = MeterValidation.windows(new MeterQuery(Instant.parse("2024-02-01T00:00:00Z"),
                Instant.parse("2024-03-01T00:00:00Z"), null, null, List.of("dense"), false, null, null));
        BigDecimal before = reader.aggregate(sum, february).rows().get(0).value();
        execute("update meter_days set sum = sum + 1000 where account_id = '" + account.value() + "' and meter_id = '"
                + sum.id() + "' and customer_id = 'dense' and day = '2024-02-10T00:00:00Z' and sum is not null");
        BigDecimal after = reader.aggregate(sum, february).rows().get(0).value();
        assertThat(after.subtract(before)).as("the February value read from meter_days").isEqualByComparingTo("1000");
        execute("delete from meter_months where account_id = '" + account.value() + "'");
        buildAll(account, List.of(sum));
        assertThat(reader.aggregate(sum, february).rows().get(0).value()).isEqualByComparingTo(before);
    }

    private void buildAll(AccountId account, List<Meter> meters) throws Exception {
        while (rollups.maintain(Instant.now().plus(Duration.ofMinutes(1))) > 0) {
            // until a round finds nothing to build
        }
        for (Meter meter : meters) {
            assertThat(count("select count(*) from meter_months where account_id = '" + account.value()
                    + "' and meter_id = '" + meter.id() + "' and month >= '2024-01-01' and month < '2024-04-01'"))
                    .as("built months of %s", meter.definition().name()).isEqualTo(3);
        }
    }

    private void check(AccountId account, List<Meter> meters, String step) {
        List<UsageEvent> versions = store.find(account, new EventFilter(null, null, null, null, null, true),
                SortOrder.ASC, null, 1_000_000);
        List<MeterQuery> queries = new ArrayList<>();
        for (Instant asOf : asOfs()) {
            queries.add(new MeterQuery(JAN, APR, "MONTH", null, null, false, null, asOf));
            queries.add(new MeterQuery(Instant.parse("2024-02-01T00:00:00Z"), APR, "DAY", "Europe/Berlin", null,
                    true, null, asOf));
        }
        queries.add(new MeterQuery(JAN, APR, "MONTH", null, List.of("dense", "late", "c1"), true, null, null));
        queries.add(new MeterQuery(Instant.parse("2024-02-01T00:00:00Z"), APR, "DAY", "Europe/Berlin",
                List.of("dense"), false, null, null));
        queries.add(new MeterQuery(Instant.parse("2024-01-20T00:00:00Z"), Instant.parse("2024-02-12T00:00:00Z"),
                "HOUR", "Asia/Kathmandu", List.of("late", "dense"), false, null, null));
        queries.add(new MeterQuery(JAN, APR, "WEEK", "America/New_York", null, true, null, null));
        queries.add(new MeterQuery(ODD.minus(Duration.ofHours(1)), ODD, "MINUTE", null, null, false, null, null));
        for (Duration rolling : List.of(Duration.ofHours(24), Duration.ofDays(7), Duration.ofDays(30),
                Duration.ofDays(365))) {
            queries.add(new MeterQuery(ODD.minus(rolling), ODD, null, null, null, false, null, null));
            queries.add(new MeterQuery(ODD.minus(rolling), ODD, null, null, List.of("dense"), false, null, null));
        }
        queries.add(new MeterQuery(Instant.parse("2000-01-01T00:00:00Z"), ODD, null, null, null, true, null, null));
        // Mantle's seven rolling periods, in one pass; and periods whose earliest start cuts a day
        List<List<Instant>> trailing = new ArrayList<>();
        for (Instant end : ENDS) {
            trailing.add(List.of(end, Instant.parse("2024-02-01T00:00:00Z"), end.minus(Duration.ofHours(24)),
                    end.minus(Duration.ofDays(7)), end.minus(Duration.ofDays(30)), end.minus(Duration.ofDays(90)),
                    end.minus(Duration.ofDays(365)), Instant.parse("2000-01-01T00:00:00Z")));
            List<Instant> cut = new ArrayList<>(List.of(end));
            ROLLING.forEach(rolling -> cut.add(end.minus(rolling)));
            trailing.add(cut);
        }
        for (Meter meter : meters) {
            for (MeterQuery query : queries) {
                MeterWindows windows = MeterValidation.windows(query);
                assertSame(MeterAggregator.aggregate(meter, windows, versions), reader.aggregate(meter, windows),
                        step + ", " + meter.definition().aggregation() + " " + meter.definition().name() + ": " + query);
            }
            for (List<Instant> periods : trailing) {
                Instant end = periods.get(0);
                List<Instant> starts = periods.subList(1, periods.size()).stream().filter(end::isAfter).toList();
                for (String customer : List.of("dense", "late", "c1", "edges", "nobody")) {
                    MeterReaderContract.assertTrailing(reader, meter, versions, customer, starts, end);
                }
            }
        }
    }

    private List<Instant> asOfs() {
        List<Instant> asOfs = new ArrayList<>();
        asOfs.add(null);
        if (receipts.size() > 1) {
            asOfs.add(receipts.get(receipts.size() - 2).plusMillis(1));
        }
        if (!receipts.isEmpty()) {
            asOfs.add(receipts.get(receipts.size() - 1));
        }
        return asOfs;
    }

    private static void assertSame(MeterResult expected, MeterResult actual, String what) {
        assertThat(actual.ignoredEventCount()).as("ignoredEventCount of %s", what)
                .isEqualTo(expected.ignoredEventCount());
        assertThat(actual.firstEventId()).as("firstEventId of %s", what).isEqualTo(expected.firstEventId());
        assertThat(actual.lastEventId()).as("lastEventId of %s", what).isEqualTo(expected.lastEventId());
        assertThat(actual.rows()).as("rows of %s", what).hasSameSizeAs(expected.rows());
        for (int i = 0; i < expected.rows().size(); i++) {
            MeterRow e = expected.rows().get(i);
            MeterRow a = actual.rows().get(i);
            boolean sameValue = e.value() == null ? a.value() == null
                    : a.value() != null && a.value().compareTo(e.value()) == 0;
            if (!sameValue || !a.windowStart().equals(e.windowStart()) || !a.windowEnd().equals(e.windowEnd())
                    || !Objects.equals(a.customerId(), e.customerId()) || a.eventCount() != e.eventCount()) {
                throw new AssertionError("row " + i + " of " + what + ":\n expected " + e + "\n but got  " + a);
            }
        }
    }

    private Meter meter(AccountId account, String aggregation, String property, Map<String, List<?>> filters) {
        Meter meter = new Meter(ids.newId(), account, MeterValidation.definition(new MeterDraft(
                aggregation + "-" + UUID.randomUUID(), "call", aggregation, property, filters, null, null, null,
                null)), Instant.now(), null);
        assertThat(meterStore.insert(meter)).isTrue();
        return meter;
    }

    private record Pending(String eventId, String customer, String name, Instant ts, Map<String, Object> properties) {
    }

    private final List<Pending> pending = new ArrayList<>();

    private void send(AccountId account, String eventId, String customer, Instant ts, Map<String, Object> properties) {
        pending.add(new Pending(eventId, customer, random.nextInt(12) == 0 ? "other" : "call", ts, properties));
    }

    /** Stores the pending events in batches of 200, each received a minute after the last. */
    private void flush(AccountId account) {
        for (int from = 0; from < pending.size(); from += 200) {
            List<NewEvent> batch = new ArrayList<>();
            for (Pending p : pending.subList(from, Math.min(pending.size(), from + 200))) {
                batch.add(new NewEvent(new UsageEvent(ids.newId(), account, new CustomerId(p.customer()),
                        new EventId(p.eventId()), new EventName(p.name()), p.ts(), EventProperties.of(p.properties()),
                        Source.GRPC, received, null, null), true));
            }
            Stages.join(store.store(account, SupersedeRule.LAST_WINS, batch));
            for (NewEvent event : batch) {
                latest.put(event.event().eventId().value(), event.event());
            }
            receipts.add(received);
            received = received.plus(Duration.ofMinutes(1));
        }
        pending.clear();
    }

    private String customer() {
        return "c" + random.nextInt(8);
    }

    /** Times on a coarse grid half the time, so that timestamps tie and fall on quarter and day bounds. */
    private Instant time(Instant from, Instant to) {
        long span = Duration.between(from, to).toSeconds();
        long second = random.nextInt(3) == 0 ? (random.nextLong(span) / 900) * 900 : random.nextLong(span);
        return from.plusSeconds(second).plusMillis(random.nextInt(4) == 0 ? 500 : 0);
    }

    private Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        Object value = switch (random.nextInt(8)) {
            case 0 -> random.nextInt(1000);
            case 1 -> new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(4));
            case 2 -> String.valueOf(random.nextInt(100)) + "." + random.nextInt(10);
            case 3 -> "abc";
            case 4 -> random.nextBoolean();
            case 5 -> -random.nextInt(50);
            default -> random.nextInt(10);
        };
        properties.put("v", value);
        properties.put("user", random.nextInt(5) == 0 ? random.nextInt(30) : "u" + random.nextInt(40));
        properties.put("channel", random.nextBoolean() ? "email" : "sms");
        return properties;
    }

    private Map<String, Object> user(String user) {
        Map<String, Object> properties = properties();
        properties.put("user", user);
        return properties;
    }

    private long count(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
