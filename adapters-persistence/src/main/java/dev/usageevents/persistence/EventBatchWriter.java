package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventKey;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.AccountId;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The write path: stores any number of batches in one transaction with a fixed number of statements, whatever
 * their size.
 *
 * <ol>
 *   <li>one transaction-scoped advisory lock per (account, event id), taken in ascending order so that two
 *       writers never wait on each other in a cycle: writers of the same keys, in this instance or another,
 *       queue here, and no one else's keys are blocked;</li>
 *   <li>one {@code SELECT} of the current events for those keys;</li>
 *   <li>the domain's {@link SupersedePlan} decides every outcome;</li>
 *   <li>one {@code UPDATE} marks the superseded rows, one {@code INSERT ... SELECT FROM unnest(...)} writes the
 *       new ones; the partial unique index backs the rule up should anything bypass the locks;</li>
 *   <li>commit, and only then the outcomes are returned.</li>
 * </ol>
 */
@ApplicationScoped
public class EventBatchWriter {

    private static final String LOCK = """
            select pg_advisory_xact_lock(k) from unnest(?::bigint[]) with ordinality as t(k, n) order by n""";
    /**
     * One index probe per key (a lateral join): a generic plan of a plain join or {@code IN} over the arrays,
     * which the driver switches to after a few executions, scans the whole table instead.
     */
    private static final String CURRENT = """
            select e.id, e.account_id, e.customer_id, e.event_id, e.event_name, e.event_ts, e.properties::text,
                   e.source, e.received_at
            from unnest(?::uuid[], ?::text[]) as k(account_id, event_id)
            cross join lateral (
                select * from usage_events u
                where u.account_id = k.account_id and u.event_id = k.event_id and u.superseded_by is null) e""";
    private static final String SUPERSEDE = """
            update usage_events u
            set superseded_by = v.successor, superseded_at = timestamptz 'epoch' + v.at_ms * interval '1 millisecond'
            from unnest(?::uuid[], ?::uuid[], ?::bigint[]) as v(id, successor, at_ms)
            where u.id = v.id and u.superseded_by is null""";
    private static final String INSERT = """
            insert into usage_events (id, account_id, customer_id, event_id, event_name, event_ts, properties,
                                      source, received_at, superseded_by, superseded_at)
            select id, account_id, customer_id, event_id, event_name,
                   timestamptz 'epoch' + ts_ms * interval '1 millisecond', properties::jsonb, source,
                   timestamptz 'epoch' + received_ms * interval '1 millisecond', superseded_by,
                   timestamptz 'epoch' + superseded_ms * interval '1 millisecond'
            from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[],
                        ?::bigint[], ?::uuid[], ?::bigint[])
                 as t(id, account_id, customer_id, event_id, event_name, ts_ms, properties, source, received_ms,
                      superseded_by, superseded_ms)""";

    private final AgroalDataSource dataSource;

    public EventBatchWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes the requests in one transaction; one list of outcomes per request, in order, after the commit. */
    public List<List<IngestOutcome>> write(List<WriteRequest> requests) {
        Set<EventKey> keys = new LinkedHashSet<>();
        for (WriteRequest request : requests) {
            for (NewEvent event : request.events()) {
                keys.add(event.key());
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                lock(connection, keys);
                SupersedePlan plan = new SupersedePlan(keys, loadCurrent(connection, keys));
                List<List<IngestOutcome>> outcomes = new ArrayList<>(requests.size());
                for (WriteRequest request : requests) {
                    outcomes.add(plan.apply(request.rule(), request.events()));
                }
                supersede(connection, plan.updates());
                insert(connection, plan.inserts());
                connection.commit();
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw StoreFailures.translate(e);
        }
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

    private static void supersede(Connection connection, List<Supersession> updates) throws SQLException {
        if (updates.isEmpty()) {
            return;
        }
        int n = updates.size();
        UUID[] ids = new UUID[n];
        UUID[] successors = new UUID[n];
        Long[] at = new Long[n];
        for (int i = 0; i < n; i++) {
            Supersession s = updates.get(i);
            ids[i] = s.previousId();
            successors[i] = s.successorId();
            at[i] = s.at().toEpochMilli();
        }
        try (PreparedStatement statement = connection.prepareStatement(SUPERSEDE)) {
            statement.setArray(1, connection.createArrayOf("uuid", ids));
            statement.setArray(2, connection.createArrayOf("uuid", successors));
            statement.setArray(3, connection.createArrayOf("bigint", at));
            int updated = statement.executeUpdate();
            if (updated != n) {
                throw new IllegalStateException("expected to supersede " + n + " events, superseded " + updated);
            }
        }
    }

    private static void insert(Connection connection, List<UsageEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
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
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
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
            statement.executeUpdate();
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
