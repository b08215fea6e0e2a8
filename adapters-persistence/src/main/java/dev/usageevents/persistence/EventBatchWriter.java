package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventKey;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedePlan;
import dev.usageevents.domain.model.Supersession;
import dev.usageevents.domain.model.UsageEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The write path: stores any number of batches in one transaction with a fixed number of statements, whatever
 * their size.
 *
 * <ol>
 *   <li>One {@code INSERT} of the first event of each key, in key order, that first claims the key in
 *       {@code usage_event_keys} (one row per account and event id with a current version, the table that keeps
 *       the rule across the time partitions of {@code usage_events}): it takes every event whose key has no
 *       current version, and refuses the others. For new keys (the common case) that is all: their outcome,
 *       {@code CREATED} whatever the rule, is {@link SupersedePlan#claimed}. It is first tried as a plain insert,
 *       the transaction's first statement; if a key is taken, the transaction is rolled back and the insert made again with
 *       {@code ON CONFLICT DO NOTHING}, which inserts the events whose key is free and returns them.</li>
 *   <li>Only for the keys left (a current version existed, or the key comes back later in the group): one
 *       transaction-scoped advisory lock per key, in ascending order, so that two writers of the same keys, in
 *       this instance or another, queue there and never wait on each other in a cycle; one {@code SELECT} of
 *       their current events, which includes those just inserted; the domain's {@link SupersedePlan} decides the
 *       remaining outcomes; one {@code UPDATE} marks the superseded rows, one {@code INSERT} writes the new
 *       ones, and one upsert moves their keys to the new current versions.</li>
 *   <li>Commit, and only then the outcomes are returned.</li>
 * </ol>
 *
 * <p>A writer that finds a key taken by another's uncommitted insert waits for that transaction to end, then
 * takes the second path. Inserts of step 1 run before any advisory lock is taken, and the rows of step 2 are
 * never inserted over another writer's uncommitted row (that writer would have found the key taken), so writers
 * cannot wait on each other in a cycle.
 */
@ApplicationScoped
public class EventBatchWriter {

    /**
     * The advisory locks; and, for the rest of the transaction, nested loops only. The look-up and the update
     * touch a few rows per key of a table that may hold millions: one index probe per key is always the right
     * plan, but the planner prefers hashing the whole table once the keys number hundreds (it costs random reads
     * as on a spinning disk), and before the table has statistics it scanned all of an account's events per key
     * (see {@link EventTableStatistics}).
     */
    private static final String LOCK = """
            select count(pg_advisory_xact_lock(k)), set_config('enable_hashjoin', 'off', true),
                   set_config('enable_mergejoin', 'off', true), set_config('enable_seqscan', 'off', true)
            from (select k from unnest(?::bigint[]) with ordinality as t(k, n) order by n) ordered""";
    /** The current version of each key: its row in {@code usage_event_keys}, then that row's partition. */
    private static final String CURRENT = """
            select u.id, u.account_id, u.customer_id, u.event_id, u.event_name, u.event_ts, u.properties::text,
                   u.source, u.received_at
            from unnest(?::uuid[], ?::text[]) as q(account_id, event_id)
            join usage_event_keys k on k.account_id = q.account_id and k.event_id = q.event_id
            join usage_events u on u.account_id = k.account_id and u.id = k.current_id and u.event_ts = k.event_ts
            where u.superseded_by is null""";
    /** Marks versions superseded; their event time takes each to its partition. */
    private static final String SUPERSEDE = """
            update usage_events u
            set superseded_by = v.successor, superseded_at = timestamptz 'epoch' + v.at_ms * interval '1 millisecond'
            from unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::uuid[], ?::bigint[])
                 as v(id, successor, at_ms, account_id, ts_us)
            where u.account_id = v.account_id and u.id = v.id
              and u.event_ts = timestamptz 'epoch' + v.ts_us * interval '1 microsecond' and u.superseded_by is null""";
    /** Moves keys to their new current versions (or claims them, if retention has just released them). */
    private static final String MOVE_KEYS = """
            insert into usage_event_keys (account_id, event_id, current_id, event_ts)
            select account_id, event_id, current_id, timestamptz 'epoch' + ts_ms * interval '1 millisecond'
            from unnest(?::uuid[], ?::text[], ?::uuid[], ?::bigint[]) as t(account_id, event_id, current_id, ts_ms)
            on conflict (account_id, event_id)
            do update set current_id = excluded.current_id, event_ts = excluded.event_ts""";
    /** The rows to insert, bound once as arrays. */
    private static final String ROWS = """
            with rows as materialized (
                select id, account_id, customer_id, event_id, event_name,
                       timestamptz 'epoch' + ts_ms * interval '1 millisecond' as event_ts,
                       properties::jsonb as properties, source,
                       timestamptz 'epoch' + received_ms * interval '1 millisecond' as received_at, superseded_by,
                       timestamptz 'epoch' + superseded_ms * interval '1 millisecond' as superseded_at, n,
                       timestamptz 'epoch' + (ts_ms / 900000) * interval '15 minutes' as quarter
                from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[],
                            ?::text[], ?::bigint[], ?::uuid[], ?::bigint[])
                     with ordinality as t(id, account_id, customer_id, event_id, event_name, ts_ms, properties,
                                          source, received_ms, superseded_by, superseded_ms, n))""";
    private static final String INSERT_COLUMNS = """
            insert into usage_events (id, account_id, customer_id, event_id, event_name, event_ts, properties,
                                      source, received_at, superseded_by, superseded_at)
            select id, account_id, customer_id, event_id, event_name, event_ts, properties, source, received_at,
                   superseded_by, superseded_at
            from rows""";
    /**
     * What this transaction changes, for the meters' pre-aggregates ({@link MeterRollups}): the candidates of step
     * 1, their ids per quarter, to be merged into the folds (the id of a candidate refused there is not found as a
     * current event, or is inserted by step 2, which logs its quarter for a recomputation).
     */
    private static final String LOG_CHANGES = """
            ,
            changed as (insert into meter_changes (account_id, event_name, quarter, added)
                        select account_id, event_name, quarter, array_agg(id) from rows
                        group by account_id, event_name, quarter)""";
    /** The quarters of step 2, to be recomputed: of the versions inserted and of those they supersede. */
    private static final String CHANGES = """
            insert into meter_changes (account_id, event_name, quarter)
            select distinct account_id, event_name, timestamptz 'epoch' + (ts_ms / 900000) * interval '15 minutes'
            from unnest(?::uuid[], ?::text[], ?::bigint[]) as t(account_id, event_name, ts_ms)""";
    /** Versions of keys already claimed (step 2). */
    private static final String INSERT = ROWS + "\n" + INSERT_COLUMNS + " order by n";
    /** Step 1, plain: every key claimed and every event inserted, or a unique violation on a taken key. */
    private static final String INSERT_ALL = ROWS + LOG_CHANGES + """
            ,
            claimed as (insert into usage_event_keys (account_id, event_id, current_id, event_ts)
                        select account_id, event_id, id, event_ts from rows order by n)
            """ + INSERT_COLUMNS + " order by n";
    /** Step 1: the events whose key has no current version claim it and are inserted; their ids are returned. */
    private static final String INSERT_NEW = ROWS + LOG_CHANGES + """
            ,
            claimed as (insert into usage_event_keys (account_id, event_id, current_id, event_ts)
                        select account_id, event_id, id, event_ts from rows order by n
                        on conflict (account_id, event_id) do nothing
                        returning current_id)
            """ + INSERT_COLUMNS + """

            where id in (select current_id from claimed)
            order by n
            returning id""";
    /** The same order in every writer, so that two writers inserting the same keys do not deadlock. */
    private static final Comparator<UsageEvent> KEY_ORDER = Comparator
            .comparing((UsageEvent e) -> e.accountId().value()).thenComparing(e -> e.eventId().value());

    private static final String UNIQUE_VIOLATION = "23505";

    private final AgroalDataSource dataSource;
    private final EventTableStatistics statistics;
    /** Whether the last group found a key it inserted already current: then step 1 does not try a plain insert. */
    private volatile boolean recentlyTaken;

    public EventBatchWriter(AgroalDataSource dataSource, EventTableStatistics statistics) {
        this.dataSource = dataSource;
        this.statistics = statistics;
    }

    /** Writes the requests in one transaction; one list of outcomes per request, in order, after the commit. */
    public List<List<IngestOutcome>> write(List<WriteRequest> requests) {
        Map<EventKey, NewEvent> firsts = new HashMap<>();
        Set<EventKey> repeated = new HashSet<>();
        for (WriteRequest request : requests) {
            for (NewEvent event : request.events()) {
                if (firsts.putIfAbsent(event.key(), event) != null) {
                    repeated.add(event.key());
                }
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<UsageEvent> candidates = firsts.values().stream().map(NewEvent::event)
                        .sorted(KEY_ORDER).toList();
                Set<UUID> created = insertAllIfNew(connection, candidates);
                if (created == null) {
                    created = insertNew(connection, candidates);
                }
                Set<EventKey> contended = new HashSet<>(repeated);
                for (UsageEvent event : candidates) {
                    if (!created.contains(event.id())) {
                        contended.add(EventKey.of(event));
                    }
                }
                List<List<IngestOutcome>> outcomes;
                int written = created.size();
                if (contended.isEmpty()) {
                    outcomes = requests.stream().map(request -> request.events().stream()
                            .map(SupersedePlan::claimed)
                            .toList()).toList();
                } else {
                    lock(connection, contended);
                    List<UsageEvent> current = loadCurrent(connection, contended);
                    SupersedePlan plan = new SupersedePlan(contended, current);
                    outcomes = new ArrayList<>(requests.size());
                    for (WriteRequest request : requests) {
                        outcomes.add(apply(plan, request, created));
                    }
                    supersede(connection, plan.updates(), current);
                    insert(connection, plan.inserts());
                    moveKeys(connection, plan.inserts());
                    logChanges(connection, plan.inserts(), plan.updates(), current);
                    written += plan.inserts().size();
                }
                try {
                    connection.commit();
                } catch (SQLException e) {
                    throw StoreFailures.commitFailed(e);
                }
                statistics.written(written);
                recentlyTaken = created.size() < candidates.size();
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw StoreFailures.translate(e);
        }
    }

    /** The request's outcomes: {@code CREATED} for the events inserted in step 1, the plan's for the others. */
    private static List<IngestOutcome> apply(SupersedePlan plan, WriteRequest request, Set<UUID> created) {
        List<NewEvent> rest = request.events().stream().filter(e -> !created.contains(e.event().id())).toList();
        Iterator<IngestOutcome> planned = plan.apply(request.rule(), rest).iterator();
        List<IngestOutcome> outcomes = new ArrayList<>(request.events().size());
        for (NewEvent event : request.events()) {
            outcomes.add(created.contains(event.event().id())
                    ? SupersedePlan.claimed(event) : planned.next());
        }
        return outcomes;
    }

    private static void lock(Connection connection, Set<EventKey> keys) throws SQLException {
        TreeSet<Long> lockIds = new TreeSet<>();
        for (EventKey key : keys) {
            lockIds.add(lockId(key));
        }
        try (PreparedStatement statement = connection.prepareStatement(LOCK)) {
            statement.setArray(1, connection.createArrayOf("bigint", lockIds.toArray()));
            statement.executeQuery().close();
        }
    }

    /** A 64-bit advisory lock id for a key: the first 8 bytes of SHA-256(account id, event id). */
    static long lockId(EventKey key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key.accountId().toString().getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            byte[] digest = sha.digest(key.eventId().value().getBytes(StandardCharsets.UTF_8));
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (digest[i] & 0xFF);
            }
            return id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<UsageEvent> loadCurrent(Connection connection, Set<EventKey> keys) throws SQLException {
        UUID[] accounts = new UUID[keys.size()];
        String[] eventIds = new String[keys.size()];
        int i = 0;
        for (EventKey key : keys) {
            accounts[i] = key.accountId().value();
            eventIds[i++] = key.eventId().value();
        }
        List<UsageEvent> current = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(CURRENT)) {
            statement.setArray(1, connection.createArrayOf("uuid", accounts));
            statement.setArray(2, connection.createArrayOf("text", eventIds));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    current.add(new UsageEvent(rows.getObject(1, UUID.class), new AccountId(rows.getObject(2, UUID.class)),
                            new CustomerId(rows.getString(3)), new EventId(rows.getString(4)),
                            new EventName(rows.getString(5)), instant(rows, 6), PropertiesJson.read(rows.getString(7)),
                            Source.valueOf(rows.getString(8)), instant(rows, 9), null, null));
                }
            }
        }
        return current;
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, java.time.OffsetDateTime.class).toInstant();
    }

    /** Marks stored versions superseded; {@code current} (as loaded) gives each one's account and partition. */
    private static void supersede(Connection connection, List<Supersession> updates, List<UsageEvent> current)
            throws SQLException {
        if (updates.isEmpty()) {
            return;
        }
        Map<UUID, UsageEvent> stored = new HashMap<>();
        current.forEach(event -> stored.put(event.id(), event));
        int n = updates.size();
        UUID[] ids = new UUID[n];
        UUID[] successors = new UUID[n];
        Long[] at = new Long[n];
        UUID[] accounts = new UUID[n];
        Long[] timestamps = new Long[n];
        for (int i = 0; i < n; i++) {
            Supersession s = updates.get(i);
            UsageEvent previous = stored.get(s.previousId());
            if (previous == null) {
                throw new IllegalStateException("superseding an event that is not current: " + s.previousId());
            }
            ids[i] = s.previousId();
            successors[i] = s.successorId();
            at[i] = s.at().toEpochMilli();
            accounts[i] = previous.accountId().value();
            timestamps[i] = Math.addExact(Math.multiplyExact(previous.timestamp().getEpochSecond(), 1_000_000L),
                    previous.timestamp().getNano() / 1_000);
        }
        try (PreparedStatement statement = connection.prepareStatement(SUPERSEDE)) {
            statement.setArray(1, connection.createArrayOf("uuid", ids));
            statement.setArray(2, connection.createArrayOf("uuid", successors));
            statement.setArray(3, connection.createArrayOf("bigint", at));
            statement.setArray(4, connection.createArrayOf("uuid", accounts));
            statement.setArray(5, connection.createArrayOf("bigint", timestamps));
            int updated = statement.executeUpdate();
            if (updated != n) {
                throw new IllegalStateException("expected to supersede " + n + " events, superseded " + updated);
            }
        }
    }

    /** Logs the quarters of step 2's versions and of the versions they superseded ({@link #CHANGES}). */
    private static void logChanges(Connection connection, List<UsageEvent> inserted, List<Supersession> updates,
            List<UsageEvent> current) throws SQLException {
        Map<UUID, UsageEvent> stored = new HashMap<>();
        current.forEach(event -> stored.put(event.id(), event));
        List<UsageEvent> changed = new ArrayList<>(inserted);
        updates.forEach(update -> changed.add(stored.get(update.previousId())));
        if (changed.isEmpty()) {
            return;
        }
        int n = changed.size();
        UUID[] accounts = new UUID[n];
        String[] names = new String[n];
        Long[] timestamps = new Long[n];
        for (int i = 0; i < n; i++) {
            UsageEvent event = changed.get(i);
            accounts[i] = event.accountId().value();
            names[i] = event.eventName().value();
            timestamps[i] = event.timestamp().toEpochMilli();
        }
        try (PreparedStatement statement = connection.prepareStatement(CHANGES)) {
            statement.setArray(1, connection.createArrayOf("uuid", accounts));
            statement.setArray(2, connection.createArrayOf("text", names));
            statement.setArray(3, connection.createArrayOf("bigint", timestamps));
            statement.executeUpdate();
        }
    }

    private static void insert(Connection connection, List<UsageEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            bindRows(connection, statement, events);
            statement.executeUpdate();
        }
    }

    /** Points the keys of the versions just inserted as current at them, in key order (the keys are locked). */
    private static void moveKeys(Connection connection, List<UsageEvent> inserted) throws SQLException {
        List<UsageEvent> current = inserted.stream().filter(event -> event.supersededBy() == null)
                .sorted(KEY_ORDER).toList();
        if (current.isEmpty()) {
            return;
        }
        int n = current.size();
        UUID[] accounts = new UUID[n];
        String[] eventIds = new String[n];
        UUID[] ids = new UUID[n];
        Long[] timestamps = new Long[n];
        for (int i = 0; i < n; i++) {
            UsageEvent event = current.get(i);
            accounts[i] = event.accountId().value();
            eventIds[i] = event.eventId().value();
            ids[i] = event.id();
            timestamps[i] = event.timestamp().toEpochMilli();
        }
        try (PreparedStatement statement = connection.prepareStatement(MOVE_KEYS)) {
            statement.setArray(1, connection.createArrayOf("uuid", accounts));
            statement.setArray(2, connection.createArrayOf("text", eventIds));
            statement.setArray(3, connection.createArrayOf("uuid", ids));
            statement.setArray(4, connection.createArrayOf("bigint", timestamps));
            statement.executeUpdate();
        }
    }

    /**
     * Step 1 when no key is expected to be taken: a plain {@code INSERT} of all the candidates, the first statement
     * of the transaction. It costs PostgreSQL less than {@code ON CONFLICT DO NOTHING ... RETURNING} (the figures:
     * bench/RESULTS.md, "What changed since the run of 2026-12-01"). Returns their ids, or null when a key was
     * taken: the transaction, which holds nothing else, is then rolled back, for {@link #insertNew} to sort the
     * candidates out in a new one (no savepoint: it would cost a round trip, and each row a subtransaction id).
     * Skipped (null) while the last group found keys taken, as a workload of supersedes would pay for each insert
     * twice.
     */
    private Set<UUID> insertAllIfNew(Connection connection, List<UsageEvent> events) throws SQLException {
        if (recentlyTaken || events.isEmpty()) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_ALL)) {
            bindRows(connection, statement, events);
            statement.executeUpdate();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback();
            return null;
        }
        Set<UUID> ids = new HashSet<>();
        events.forEach(event -> ids.add(event.id()));
        return ids;
    }

    private static Set<UUID> insertNew(Connection connection, List<UsageEvent> events) throws SQLException {
        Set<UUID> inserted = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(INSERT_NEW)) {
            bindRows(connection, statement, events);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    inserted.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return inserted;
    }

    private static void bindRows(Connection connection, PreparedStatement statement, List<UsageEvent> events)
            throws SQLException {
        int n = events.size();
        UUID[] ids = new UUID[n];
        UUID[] accounts = new UUID[n];
        String[] customers = new String[n];
        String[] eventIds = new String[n];
        String[] names = new String[n];
        Long[] timestamps = new Long[n];
        String[] properties = new String[n];
        String[] sources = new String[n];
        Long[] received = new Long[n];
        UUID[] supersededBy = new UUID[n];
        Long[] supersededAt = new Long[n];
        for (int i = 0; i < n; i++) {
            UsageEvent e = events.get(i);
            ids[i] = e.id();
            accounts[i] = e.accountId().value();
            customers[i] = e.customerId().value();
            eventIds[i] = e.eventId().value();
            names[i] = e.eventName().value();
            timestamps[i] = e.timestamp().toEpochMilli();
            properties[i] = e.properties().toJson();
            sources[i] = e.source().name();
            received[i] = e.receivedAt().toEpochMilli();
            supersededBy[i] = e.supersededBy();
            supersededAt[i] = e.supersededAt() == null ? null : e.supersededAt().toEpochMilli();
        }
        Array[] arrays = {
            connection.createArrayOf("uuid", ids), connection.createArrayOf("uuid", accounts),
            connection.createArrayOf("text", customers), connection.createArrayOf("text", eventIds),
            connection.createArrayOf("text", names), connection.createArrayOf("bigint", timestamps),
            connection.createArrayOf("text", properties), connection.createArrayOf("text", sources),
            connection.createArrayOf("bigint", received), connection.createArrayOf("uuid", supersededBy),
            connection.createArrayOf("bigint", supersededAt)};
        for (int i = 0; i < arrays.length; i++) {
            statement.setArray(i + 1, arrays[i]);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
