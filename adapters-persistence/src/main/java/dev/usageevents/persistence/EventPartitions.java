package dev.usageevents.persistence;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Manages the monthly partitions of {@code usage_events} (see {@code V7__partitioned_events.sql}): at start-up and
 * then every {@code usage.storage.partitions.maintenance-interval}, makes the partitions of the current month and the
 * next ones before any event needs them, and, when {@code usage.retention} is set, drops the partitions wholly
 * older than the retention, with the keys of their current events ({@code usage_event_keys}). Between two
 * maintenances, {@link #cutoff()} hides the expired events from every read.
 *
 * <p>Instances share the work through a transaction-scoped advisory lock: one maintains, the others skip the
 * round. Each step waits at most {@code lock_timeout} for the table locks that adding or dropping a partition
 * takes, so that writers are never held for long; a step that gives up is tried again at the next round.
 */
@Singleton
public class EventPartitions {

    private static final Logger LOG = Logger.getLogger(EventPartitions.class);
    /** The advisory lock of partition maintenance (any constant that no other lock of this service uses). */
    private static final long MAINTENANCE_LOCK = 0x7573616765_5057L;
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy_MM");
    private static final String PREFIX = "usage_events_";

    private final AgroalDataSource dataSource;
    private final StorageConfig config;
    private final Optional<Duration> retention;
    private Periodic scheduler;

    EventPartitions(AgroalDataSource dataSource, StorageConfig config, StoreConfig store) {
        this.dataSource = dataSource;
        this.config = config;
        this.retention = store.retention();
    }

    void onStart(@Observes StartupEvent event) {
        maintain();
        scheduler = new Periodic("usage-events-partitions", config.partitionMaintenanceInterval(), this::maintain);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** The oldest event time still seen, when a retention is set: reads add {@code event_ts >= cutoff}. */
    public Optional<Instant> cutoff() {
        return retention.map(retention -> Instant.now().minus(retention));
    }

    /** One round: partitions made ahead, expired ones dropped. Never throws: a failed round is logged. */
    public void maintain() {
        try {
            YearMonth current = YearMonth.now(ZoneOffset.UTC);
            for (int ahead = 0; ahead <= config.partitionMonthsAhead(); ahead++) {
                YearMonth month = current.plusMonths(ahead);
                inMaintenance(connection -> ensure(connection, month));
            }
            Optional<Instant> cutoff = cutoff();
            if (cutoff.isPresent()) {
                inMaintenance(connection -> expire(connection, cutoff.get()));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("partition maintenance of usage_events failed (tried again in %s): %s",
                    config.partitionMaintenanceInterval(), e.getMessage());
        }
    }

    private interface Step {
        void run(Connection connection) throws SQLException;
    }

    /** A step in its own transaction, if this instance holds the maintenance lock. */
    private void inMaintenance(Step step) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("set local lock_timeout = '5s'");
                try (ResultSet locked = statement.executeQuery(
                        "select pg_try_advisory_xact_lock(" + MAINTENANCE_LOCK + ")")) {
                    if (!locked.next() || !locked.getBoolean(1)) {
                        connection.rollback();
                        return;
                    }
                }
                step.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Makes a month's partition if it is missing. The events of that month that went to the default partition
     * meanwhile (a backfill) move into it first: PostgreSQL refuses a partition whose rows the default holds.
     */
    static void ensure(Connection connection, YearMonth month) throws SQLException {
        String name = PREFIX + month.format(NAME);
        if (exists(connection, name)) {
            return;
        }
        String from = bound(month);
        String to = bound(month.plusMonths(1));
        try (Statement statement = connection.createStatement()) {
            statement.execute("create table " + name + " (like usage_events including defaults including constraints)");
            statement.execute("with moved as (delete from usage_events_default where event_ts >= '" + from
                    + "' and event_ts < '" + to + "' returning *) insert into " + name + " select * from moved");
            statement.execute("alter table usage_events attach partition " + name + " for values from ('" + from
                    + "') to ('" + to + "')");
        }
        LOG.infof("made partition %s of usage_events", name);
    }

    /**
     * Drops the partitions that end before the cutoff, deletes the expired events of the default partition, and
     * the keys of every expired current event: a later event with such an id is a new event.
     */
    static void expire(Connection connection, Instant cutoff) throws SQLException {
        List<String> expired = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = 'usage_events'::regclass and c.relname ~ '^usage_events_[0-9]{4}_[0-9]{2}$'
                order by c.relname""");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                String name = rows.getString(1);
                YearMonth month = YearMonth.parse(name.substring(PREFIX.length()), NAME);
                if (!month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).isAfter(cutoff)) {
                    expired.add(name);
                }
            }
        }
        try (PreparedStatement keys = connection.prepareStatement(
                "delete from usage_event_keys where event_ts < ?");
                PreparedStatement defaults = connection.prepareStatement(
                        "delete from usage_events_default where event_ts < ?")) {
            keys.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
            int keysDeleted = keys.executeUpdate();
            defaults.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
            defaults.executeUpdate();
            if (keysDeleted > 0) {
                LOG.infof("released %d event keys older than %s", keysDeleted, cutoff);
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (String name : expired) {
                statement.execute("drop table " + name);
                LOG.infof("dropped partition %s of usage_events (retention %s)", name, cutoff);
            }
        }
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select to_regclass(?) is not null")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private static String bound(YearMonth month) {
        LocalDate first = month.atDay(1);
        return first + " 00:00:00+00";
    }
}
