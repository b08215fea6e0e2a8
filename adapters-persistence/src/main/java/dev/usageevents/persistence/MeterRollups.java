package dev.usageevents.persistence;

import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.persistence.MeterSql.Statement;
import dev.usageevents.persistence.MeterSql.TextArray;
import dev.usageevents.persistence.MeterSql.TimeArray;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps the meters' pre-aggregates ({@code V8__meter_rollups.sql}). Every {@code refresh-interval}, for each
 * account with logged changes or live meters, in one round: consumes the changes ingests logged in
 * {@code meter_changes}, merges the events they added into the folds of built months (sums add, min and max and
 * LATEST take the greater, distinct values are rows), recomputes from the raw events the quarters they changed
 * otherwise (supersedes), then builds the months of live meters that are not built for their current definition,
 * newest first, for up to a few seconds.
 *
 * <p>A round holds the account's advisory lock (a session lock taken before its transaction begins: instances
 * share the work, and one that finds the lock taken skips the account this round) and runs in one
 * repeatable-read snapshot. So every event it reads — merged, recomputed or built from — is visible in that
 * snapshot, and so is the log row written with it, which the round deletes: nothing is folded twice, and an
 * ingest committed after the snapshot keeps its log row for the next round (and for the readers meanwhile, which
 * read the logged quarters raw). What a meter's pre-aggregates hold is therefore, for every quarter not logged,
 * exactly its current events.
 *
 * <p>Per customer and UTC day for every customer; per quarter too for the customers with at least
 * {@code dense-events} events that month (those are read at sub-day bounds; the others' few events are read raw
 * there). A customer that crosses the threshold during a month gets its quarters at that moment.
 */
@Singleton
public class MeterRollups {

    private static final Logger LOG = Logger.getLogger(MeterRollups.class);
    /** The class of the per-account advisory locks (the two-int form, apart from the events' 64-bit locks). */
    private static final int LOCK_CLASS = 0x75_6d_72_6c;
    /** The day rows a round's builds write before it runs VACUUM (ANALYZE) on the pre-aggregates itself. */
    private static final long VACUUM_AFTER_ROWS = 100_000;
    private static final String ROW_COLUMNS = "account_id, meter_id, customer_id, %s, " + MeterSql.ROW_VALUES;
    private static final String DENSE = """
            exists (select 1 from meter_dense n where n.account_id = u.account_id and n.meter_id = ?
                    and n.month = (date_trunc('month', u.event_ts at time zone 'UTC') at time zone 'UTC')
                    and n.customer_id = u.customer_id)""";
    /** Adds folded events to a stored fold ({@code t}) of the same key. */
    private static final String MERGE = """
             on conflict (account_id, meter_id, customer_id, %s, value_key) do update set
            event_count = t.event_count + excluded.event_count, ignored = t.ignored + excluded.ignored,
            sum = coalesce(t.sum + excluded.sum, t.sum, excluded.sum), min = least(t.min, excluded.min),
            max = greatest(t.max, excluded.max), latest = greatest(t.latest, excluded.latest),
            first_ts = least(t.first_ts, excluded.first_ts), last_ts = greatest(t.last_ts, excluded.last_ts)""";

    private final AgroalDataSource dataSource;
    private final JdbcMeterStore meters;
    private final MeterRollupConfig config;
    private final EventPartitions partitions;
    private Periodic scheduler;

    MeterRollups(AgroalDataSource dataSource, JdbcMeterStore meters, MeterRollupConfig config,
            EventPartitions partitions) {
        this.dataSource = dataSource;
        this.meters = meters;
        this.config = config;
        this.partitions = partitions;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        scheduler = new Periodic("usage-events-meter-rollups", config.refreshInterval(), this::round);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** One round for every account, builds for up to a few seconds. Never throws: failures are logged. */
    public void round() {
        try {
            maintain(Instant.now().plus(Duration.ofSeconds(5)));
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("meter pre-aggregates: a round failed (tried again in %s): %s", config.refreshInterval(),
                    e.getMessage());
        }
    }

    /**
     * One round for every account with logged changes or live meters: changes folded in, then months built until
     * {@code deadline}. Returns how many months it built.
     */
    public int maintain(Instant deadline) throws SQLException {
        Set<UUID> accounts = new java.util.LinkedHashSet<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("select distinct account_id from meter_changes"
                        + " union select distinct account_id from meters where deleted_at is null");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                accounts.add(rows.getObject(1, UUID.class));
            }
        }
        int built = 0;
        long[] rows = {0};
        for (UUID account : accounts) {
            int[] count = {0};
            inLock(account, connection -> count[0] = maintain(connection, account, deadline, rows));
            built += count[0];
        }
        if (rows[0] >= VACUUM_AFTER_ROWS) {
            // A large build adds rows by the hundred thousand, long before autovacuum visits them. Without
            // statistics the planner read a customer's every month to answer one; without the visibility map's
            // bits every index-only read (UNIQUE_COUNT's values) fetched its rows from the heap too
            // (bench/RESULTS.md, "Meters at scale"). VACUUM reads only the pages not yet all-visible, and another
            // instance's VACUUM is not waited for. Smaller builds (a new meter's first days) are left to autovacuum:
            // this VACUUM and ANALYZE read tables of several GB, beside the ingest.
            try (Connection connection = dataSource.getConnection();
                    java.sql.Statement vacuum = connection.createStatement()) {
                vacuum.execute("vacuum (analyze, skip_locked) meter_days, meter_quarters, meter_dense, meter_months");
            }
        }
        return built;
    }

    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Work in one repeatable-read transaction that begins once this session holds the account's lock (so its
     * snapshot sees everything the lock's previous holder committed); false when another holds the lock.
     */
    private boolean inLock(UUID account, Work work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!lock(connection, "pg_try_advisory_lock", account)) {
                return false;
            }
            try {
                connection.setAutoCommit(false);
                try (java.sql.Statement isolation = connection.createStatement()) {
                    isolation.execute("set transaction isolation level repeatable read; set local jit = off");
                }
                work.run(connection);
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
                lock(connection, "pg_advisory_unlock", account);
            }
        }
    }

    private static boolean lock(Connection connection, String function, UUID account) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select " + function + "(?, ?)")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setInt(2, account.hashCode());
            try (ResultSet locked = lock.executeQuery()) {
                return locked.next() && locked.getBoolean(1);
            }
        }
    }

    // ------------------------------------------------------------------ refresh

    /** A round of one account, in its snapshot; returns the months built. */
    private int maintain(Connection connection, UUID account, Instant deadline, long[] written) throws SQLException {
        Map<String, TreeSet<Instant>> recompute = new HashMap<>();
        Map<String, Map<UUID, Instant>> added = new HashMap<>();
        List<Meter> live = meters.allLive(account);
        // Every logged change of the account is consumed, but only those of an event name a live meter counts are
        // read: the others change no fold (a meter defined after this snapshot builds its months from the events),
        // and reading back every event an account without meters ingests cost the ingest itself (bench/RESULTS.md,
        // "Full store at 30 million").
        try (PreparedStatement delete = new Statement().append("with consumed as (delete from meter_changes"
                + " where account_id = ? returning event_name, quarter, added) select event_name, quarter, added"
                + " from consumed where event_name = any(?::text[])").bind(account)
                .bind(new MeterSql.TextArray(live.stream().map(m -> m.definition().eventName().value()).toList()))
                .prepare(connection)) {
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    Instant quarter = rows.getObject(2, OffsetDateTime.class).toInstant();
                    java.sql.Array ids = rows.getArray(3);
                    if (ids == null) {
                        recompute.computeIfAbsent(name, n -> new TreeSet<>()).add(quarter);
                    } else {
                        Map<UUID, Instant> byId = added.computeIfAbsent(name, n -> new HashMap<>());
                        for (Object id : (Object[]) ids.getArray()) {
                            byId.put((UUID) id, quarter);
                        }
                    }
                }
            }
        }
        if (!added.isEmpty()) {
            loadAdded(connection, account, added);
        }
        for (Meter meter : live) {
            String name = meter.definition().eventName().value();
            if (!recompute.containsKey(name) && !added.containsKey(name)) {
                continue;
            }
            Set<YearMonth> built = builtMonths(connection, meter, MeterSql.definitionHash(meter.definition()));
            TreeSet<Instant> quarters = recompute.getOrDefault(name, new TreeSet<>());
            Map<String, Set<Instant>> touched = new HashMap<>();
            Map<UUID, Instant> merged = new HashMap<>();
            added.getOrDefault(name, Map.of()).forEach((id, quarter) -> {
                if (built.contains(RollupPlan.month(quarter)) && !quarters.contains(quarter)) {
                    merged.put(id, quarter);
                }
            });
            if (!merged.isEmpty()) {
                merge(connection, meter, merged, touched);
            }
            List<Instant> refreshed = quarters.stream().filter(q -> built.contains(RollupPlan.month(q))).toList();
            if (!refreshed.isEmpty()) {
                refreshQuarters(connection, meter, refreshed, touched);
            }
            if (!touched.isEmpty()) {
                promote(connection, meter, touched);
            }
        }
        sweep(connection, account, live);
        return build(connection, live, deadline, written);
    }

    /**
     * Removes what no query reads any more: the pre-aggregates of deleted meters, and, under a retention, of the
     * months wholly past its cutoff. Found through {@code meter_months} (a row per built month), then deleted by key.
     */
    private void sweep(Connection connection, UUID account, List<Meter> live) throws SQLException {
        Instant cutoff = partitions.cutoff().map(c -> RollupPlan.start(RollupPlan.month(c))).orElse(Instant.EPOCH);
        List<UUID> meterIds = new ArrayList<>();
        List<Instant> months = new ArrayList<>();
        try (PreparedStatement query = new Statement().append("select meter_id, month from meter_months"
                + " where account_id = ? and (meter_id <> all(?::uuid[]) or month < ?)").bind(account)
                .bind(new MeterSql.UuidArray(live.stream().map(Meter::id).toList())).bind(cutoff)
                .prepare(connection); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                meterIds.add(rows.getObject(1, UUID.class));
                months.add(rows.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        if (meterIds.isEmpty()) {
            return;
        }
        for (String[] table : new String[][] {{"meter_days", "day"}, {"meter_quarters", "quarter"},
                {"meter_dense", "month"}, {"meter_months", "month"}}) {
            execute(connection, new Statement().append("delete from " + table[0] + " t using unnest(?::uuid[],"
                    + " ?::timestamptz[]) as m(meter_id, month) where t.account_id = ? and t.meter_id = m.meter_id"
                    + " and t." + table[1] + " >= m.month and t." + table[1] + " < m.month + interval '1 month'")
                    .bind(new MeterSql.UuidArray(meterIds)).bind(new TimeArray(months)).bind(account));
        }
    }

    /**
     * Reads the added events that are still current once, into {@code meter_round_events} (dropped at the commit),
     * for the merges of every meter to read.
     */
    private static void loadAdded(Connection connection, UUID account, Map<String, Map<UUID, Instant>> added)
            throws SQLException {
        List<UUID> ids = new ArrayList<>();
        List<Instant> quarters = new ArrayList<>();
        added.values().forEach(byId -> byId.forEach((id, quarter) -> {
            ids.add(id);
            quarters.add(quarter);
        }));
        execute(connection, new Statement().append("create temporary table meter_round_events on commit drop as"
                + " select u.* from unnest(?::uuid[], ?::timestamptz[]) as x(id, quarter) cross join lateral"
                + " (select * from usage_events u where u.account_id = ? and u.id = x.id and u.event_ts >= x.quarter"
                + " and u.event_ts < x.quarter + interval '15 minutes' and u.superseded_by is null) u")
                .bind(new MeterSql.UuidArray(ids)).bind(new TimeArray(quarters)).bind(account));
    }

    /** Adds the events (current ones that match; the others are skipped) to the folds of their days and quarters. */
    private void merge(Connection connection, Meter meter, Map<UUID, Instant> events,
            Map<String, Set<Instant>> touched) throws SQLException {
        UUID account = meter.accountId().value();
        Statement merge = new Statement().append("with e as materialized (select * from ");
        MeterSql.events(merge, meter.definition(), source -> {
            source.append("from meter_round_events u join unnest(?::uuid[]) as x(id) on x.id = u.id where ")
                    .bind(new MeterSql.UuidArray(List.copyOf(events.keySet())));
            MeterSql.matching(source, meter.definition(), account, true);
        });
        merge.append("), quarters as (insert into meter_quarters as t (" + ROW_COLUMNS.formatted("quarter")
                + ") select ?, ?, customer_id, " + MeterSql.QUARTER.formatted("event_ts") + " as quarter, "
                + MeterSql.FOLD_EVENTS + " from e where exists (select 1 from meter_dense n where n.account_id = ?"
                + " and n.meter_id = ? and n.customer_id = e.customer_id and n.month = (date_trunc('month',"
                + " e.event_ts at time zone 'UTC') at time zone 'UTC')) group by customer_id, quarter, value_key"
                + MERGE.formatted("quarter") + ") insert into meter_days as t (" + ROW_COLUMNS.formatted("day")
                + ") select ?, ?, customer_id, " + MeterSql.DAY.formatted("event_ts") + " as day, "
                + MeterSql.FOLD_EVENTS + " from e group by customer_id, day, value_key" + MERGE.formatted("day")
                + " returning customer_id, day")
                .bind(account).bind(meter.id()).bind(account).bind(meter.id()).bind(account).bind(meter.id());
        try (PreparedStatement prepared = merge.prepare(connection); ResultSet rows = prepared.executeQuery()) {
            while (rows.next()) {
                touched.computeIfAbsent(rows.getString(1), c -> new HashSet<>())
                        .add(rows.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
    }

    /**
     * Recomputes the quarters (of built months): the quarter rows of the dense customers, then the day rows of
     * every customer with a version in them (a superseded version stays where it was, so the customer and day it
     * left are recomputed too).
     */
    private void refreshQuarters(Connection connection, Meter meter, List<Instant> quarters,
            Map<String, Set<Instant>> touched) throws SQLException {
        UUID account = meter.accountId().value();
        List<Instant[]> ranges = new ArrayList<>();
        quarters.forEach(q -> RollupPlan.add(ranges, q, q.plus(RollupPlan.QUARTER)));
        TimeArray starts = new TimeArray(ranges.stream().map(r -> r[0]).toList());
        TimeArray ends = new TimeArray(ranges.stream().map(r -> r[1]).toList());
        execute(connection, new Statement().append("delete from meter_quarters where account_id = ? and meter_id = ?"
                + " and quarter = any(?::timestamptz[])").bind(account).bind(meter.id())
                .bind(new TimeArray(quarters)));
        Statement dense = new Statement().append("insert into meter_quarters (" + ROW_COLUMNS.formatted("quarter")
                + ") select ?, ?, customer_id, " + MeterSql.QUARTER.formatted("event_ts") + " as quarter, "
                + MeterSql.FOLD_EVENTS + " from ").bind(account).bind(meter.id());
        MeterSql.events(dense, meter.definition(), source -> {
            source.append("from unnest(?::timestamptz[], ?::timestamptz[]) as b(lo, hi) cross join lateral"
                    + " (select * from usage_events u where u.event_ts >= b.lo and u.event_ts < b.hi and ")
                    .bind(starts).bind(ends);
            MeterSql.matching(source, meter.definition(), account, true);
            source.append(" and " + DENSE + ") u").bind(meter.id());
        });
        execute(connection, dense.append(" group by customer_id, quarter, value_key"));

        // the (customer, day) pairs with a version in the quarters, current or not
        List<String> customers = new ArrayList<>();
        List<Instant> days = new ArrayList<>();
        Statement affected = new Statement().append("select distinct u.customer_id, "
                + MeterSql.DAY.formatted("u.event_ts") + " from unnest(?::timestamptz[], ?::timestamptz[])"
                + " as b(lo, hi) cross join lateral (select customer_id, event_ts from usage_events u"
                + " where u.account_id = ? and u.event_name = ? and u.event_ts >= b.lo and u.event_ts < b.hi) u")
                .bind(starts).bind(ends).bind(account).bind(meter.definition().eventName().value());
        try (PreparedStatement prepared = affected.prepare(connection); ResultSet rows = prepared.executeQuery()) {
            while (rows.next()) {
                customers.add(rows.getString(1));
                days.add(rows.getObject(2, OffsetDateTime.class).toInstant());
                touched.computeIfAbsent(rows.getString(1), c -> new HashSet<>())
                        .add(rows.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        if (customers.isEmpty()) {
            return;
        }
        TextArray customerArray = new TextArray(customers);
        TimeArray dayArray = new TimeArray(days);
        execute(connection, new Statement().append("delete from meter_days d using unnest(?::text[],"
                + " ?::timestamptz[]) as a(customer_id, day) where d.account_id = ? and d.meter_id = ?"
                + " and d.customer_id = a.customer_id and d.day = a.day")
                .bind(customerArray).bind(dayArray).bind(account).bind(meter.id()));
        // dense customers' days from their quarters, the others' from their events
        execute(connection, new Statement().append("insert into meter_days (" + ROW_COLUMNS.formatted("day")
                + ") select ?, ?, q.customer_id, a.day, " + MeterSql.MERGE_ROWS.replace("value_key", "q.value_key")
                + " from unnest(?::text[], ?::timestamptz[]) as a(customer_id, day) join meter_quarters q"
                + " on q.account_id = ? and q.meter_id = ? and q.customer_id = a.customer_id"
                + " and q.quarter >= a.day and q.quarter < a.day + interval '1 day'"
                + " group by q.customer_id, a.day, q.value_key")
                .bind(account).bind(meter.id()).bind(customerArray).bind(dayArray).bind(account).bind(meter.id()));
        Statement sparse = new Statement().append("insert into meter_days (" + ROW_COLUMNS.formatted("day")
                + ") select ?, ?, customer_id, " + MeterSql.DAY.formatted("event_ts") + " as day, "
                + MeterSql.FOLD_EVENTS + " from ").bind(account).bind(meter.id());
        MeterSql.events(sparse, meter.definition(), source -> {
            source.append("from unnest(?::text[], ?::timestamptz[]) as a(customer_id, day) cross join lateral"
                    + " (select * from usage_events u where u.customer_id = a.customer_id and u.event_ts >= a.day"
                    + " and u.event_ts < a.day + interval '1 day' and ").bind(customerArray).bind(dayArray);
            MeterSql.matching(source, meter.definition(), account, true);
            source.append(" and not " + DENSE + ") u").bind(meter.id());
        });
        execute(connection, sparse.append(" group by customer_id, day, value_key"));
    }

    /** Gives quarters to the customers, among those just folded, that now reach the threshold in a month. */
    private void promote(Connection connection, Meter meter, Map<String, Set<Instant>> touched)
            throws SQLException {
        UUID account = meter.accountId().value();
        Map<YearMonth, Set<String>> byMonth = new HashMap<>();
        touched.forEach((customer, days) -> days.forEach(day -> byMonth.computeIfAbsent(RollupPlan.month(day),
                m -> new HashSet<>()).add(customer)));
        for (Map.Entry<YearMonth, Set<String>> entry : byMonth.entrySet()) {
            Instant from = RollupPlan.start(entry.getKey());
            Instant to = RollupPlan.start(entry.getKey().plusMonths(1));
            List<String> promoted = new ArrayList<>();
            Statement totals = new Statement().append("select d.customer_id from meter_days d"
                    + " where d.account_id = ? and d.meter_id = ? and d.customer_id = any(?::text[])"
                    + " and d.day >= ? and d.day < ? and not exists (select 1 from meter_dense n"
                    + " where n.account_id = d.account_id and n.meter_id = d.meter_id and n.month = ?"
                    + " and n.customer_id = d.customer_id)"
                    + " group by d.customer_id having sum(d.event_count + d.ignored) >= ?")
                    .bind(account).bind(meter.id()).bind(new TextArray(List.copyOf(entry.getValue()))).bind(from)
                    .bind(to).bind(from).bind(config.denseEvents());
            try (PreparedStatement prepared = totals.prepare(connection); ResultSet rows = prepared.executeQuery()) {
                while (rows.next()) {
                    promoted.add(rows.getString(1));
                }
            }
            if (promoted.isEmpty()) {
                continue;
            }
            execute(connection, new Statement().append("insert into meter_dense (account_id, meter_id, month,"
                    + " customer_id) select ?, ?, ?, unnest(?::text[])").bind(account).bind(meter.id()).bind(from)
                    .bind(new TextArray(promoted)));
            Statement quarters = new Statement().append("insert into meter_quarters ("
                    + ROW_COLUMNS.formatted("quarter") + ") select ?, ?, customer_id, "
                    + MeterSql.QUARTER.formatted("event_ts") + " as quarter, " + MeterSql.FOLD_EVENTS + " from ")
                    .bind(account).bind(meter.id());
            MeterSql.events(quarters, meter.definition(), source -> {
                source.append("from usage_events u where u.event_ts >= ? and u.event_ts < ?"
                        + " and u.customer_id = any(?::text[]) and ").bind(from).bind(to)
                        .bind(new TextArray(promoted));
                MeterSql.matching(source, meter.definition(), account, true);
            });
            execute(connection, quarters.append(" group by customer_id, quarter, value_key"));
        }
    }

    /**
     * Builds missing months of the meters, newest first, until {@code deadline}; returns how many, and adds the
     * day rows written to {@code written}.
     */
    private int build(Connection connection, List<Meter> live, Instant deadline, long[] written) throws SQLException {
        Optional<YearMonth> oldestKept = partitions.cutoff().map(RollupPlan::month);
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        int built = 0;
        for (Meter meter : live) {
            String hash = MeterSql.definitionHash(meter.definition());
            Set<YearMonth> done = builtMonths(connection, meter, hash);
            Optional<YearMonth> oldest = oldestMonth(connection, meter);
            if (oldest.isPresent()) {
                YearMonth first = oldestKept.filter(kept -> kept.isAfter(oldest.get())).orElse(oldest.get());
                for (YearMonth month = current; !month.isBefore(first); month = month.minusMonths(1)) {
                    if (done.contains(month)) {
                        continue;
                    }
                    if (Instant.now().isAfter(deadline)) {
                        return built;
                    }
                    written[0] += buildMonth(connection, meter, hash, month);
                    built++;
                }
            }
        }
        return built;
    }

    // ------------------------------------------------------------------ build

    /** Builds one month of a meter from the raw events, replacing what was there; returns the day rows written. */
    private long buildMonth(Connection connection, Meter meter, String hash, YearMonth month) throws SQLException {
        UUID account = meter.accountId().value();
        Instant from = RollupPlan.start(month);
        Instant to = RollupPlan.start(month.plusMonths(1));
        for (String[] table : new String[][] {{"meter_days", "day"}, {"meter_quarters", "quarter"}}) {
            execute(connection, new Statement().append("delete from " + table[0] + " where account_id = ?"
                    + " and meter_id = ? and " + table[1] + " >= ? and " + table[1] + " < ?").bind(account)
                    .bind(meter.id()).bind(from).bind(to));
        }
        execute(connection, new Statement().append("delete from meter_dense where account_id = ? and meter_id = ?"
                + " and month = ?").bind(account).bind(meter.id()).bind(from));
        Statement build = new Statement().append("with pq as materialized (select customer_id, "
                + MeterSql.QUARTER.formatted("event_ts") + " as quarter, " + MeterSql.FOLD_EVENTS + " from ");
        MeterSql.events(build, meter.definition(), source -> {
            source.append("from usage_events u where u.event_ts >= ? and u.event_ts < ? and ").bind(from).bind(to);
            MeterSql.matching(source, meter.definition(), account, true);
        });
        build.append(" group by customer_id, quarter, value_key),"
                + " dense as (select customer_id from pq group by customer_id having sum(event_count + ignored) >= ?),"
                + " dense_rows as (insert into meter_dense (account_id, meter_id, month, customer_id)"
                + " select ?, ?, ?, customer_id from dense),"
                + " quarter_rows as (insert into meter_quarters (" + ROW_COLUMNS.formatted("quarter") + ")"
                + " select ?, ?, customer_id, quarter, " + MeterSql.ROW_VALUES + " from pq"
                + " where customer_id in (select customer_id from dense))"
                + " insert into meter_days (" + ROW_COLUMNS.formatted("day") + ") select ?, ?, customer_id, "
                + MeterSql.DAY.formatted("quarter") + ", " + MeterSql.MERGE_ROWS + " from pq group by customer_id, "
                + MeterSql.DAY.formatted("quarter") + ", value_key")
                .bind(config.denseEvents()).bind(account).bind(meter.id()).bind(from).bind(account).bind(meter.id())
                .bind(account).bind(meter.id());
        long rows;
        try (PreparedStatement prepared = build.prepare(connection)) {
            rows = prepared.executeUpdate();
        }
        execute(connection, new Statement().append("insert into meter_months (account_id, meter_id, month,"
                + " definition_hash, built_at) values (?, ?, ?, ?, now()) on conflict (account_id, meter_id, month)"
                + " do update set definition_hash = excluded.definition_hash, built_at = excluded.built_at")
                .bind(account).bind(meter.id()).bind(from).bind(hash));
        return rows;
    }

    private static Set<YearMonth> builtMonths(Connection connection, Meter meter, String hash) throws SQLException {
        Set<YearMonth> months = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement("select month from meter_months"
                + " where account_id = ? and meter_id = ? and definition_hash = ?")) {
            query.setObject(1, meter.accountId().value());
            query.setObject(2, meter.id());
            query.setString(3, hash);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    months.add(RollupPlan.month(rows.getObject(1, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return months;
    }

    /** The month of the meter's event name's oldest current event, if any. */
    private static Optional<YearMonth> oldestMonth(Connection connection, Meter meter) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select min(event_ts) from usage_events"
                + " where account_id = ? and event_name = ? and superseded_by is null")) {
            query.setObject(1, meter.accountId().value());
            query.setString(2, meter.definition().eventName().value());
            try (ResultSet rows = query.executeQuery()) {
                OffsetDateTime oldest = rows.next() ? rows.getObject(1, OffsetDateTime.class) : null;
                return Optional.ofNullable(oldest).map(t -> RollupPlan.month(t.toInstant()));
            }
        }
    }

    private static void execute(Connection connection, Statement statement) throws SQLException {
        try (PreparedStatement prepared = statement.prepare(connection)) {
            prepared.execute();
        }
    }
}
