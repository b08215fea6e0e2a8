package dev.usageevents.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps the planner's statistics of {@code usage_events} (and of {@code usage_event_keys}, its current keys) up
 * with a young table. Without statistics, PostgreSQL
 * guesses that an account holds a handful of events, and the writer's look-up of the current events then
 * scanned every event of the account instead of probing the unique index once per key: seconds per group at a
 * few hundred thousand rows. Autovacuum analyzes a table at most once a minute, after it has grown by a tenth,
 * while this service can write a hundred thousand events in that minute. So the writer runs {@code ANALYZE}
 * itself, in the background, each time this instance has written as many rows as the table held at the last
 * analysis (and at least {@code usage.statistics.min-rows}): a few times while the table is young, then never,
 * as autovacuum keeps up with a large table.
 */
@Singleton
public class EventTableStatistics {

    private static final Logger LOG = Logger.getLogger(EventTableStatistics.class);

    private final AgroalDataSource dataSource;
    private final long minRows;
    private final AtomicLong writtenSince = new AtomicLong();
    private final AtomicLong threshold = new AtomicLong(-1);
    private final AtomicBoolean analyzing = new AtomicBoolean();
    private final AtomicLong analyses = new AtomicLong();

    EventTableStatistics(AgroalDataSource dataSource, StoreConfig config) {
        this.dataSource = dataSource;
        this.minRows = config.statisticsMinRows();
    }

    /** Counts rows just committed; starts an analysis in the background once enough have been written. */
    void written(int rows) {
        long written = writtenSince.addAndGet(rows);
        long due = threshold.get();
        if (due < 0) {
            due = minRows;
        }
        if (written >= due && analyzing.compareAndSet(false, true)) {
            Thread thread = new Thread(this::analyze, "usage-events-analyze");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void analyze() {
        long written = writtenSince.get();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("analyze usage_events, usage_event_keys");
            try (ResultSet rows = statement.executeQuery(
                    "select reltuples::bigint from pg_class where oid = 'usage_events'::regclass")) {
                long tuples = rows.next() ? rows.getLong(1) : 0;
                threshold.set(Math.max(minRows, tuples));
                analyses.incrementAndGet();
                LOG.debugf("analyzed usage_events: %d rows; next analysis after %d more", tuples, threshold.get());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("could not analyze usage_events (the planner keeps its old statistics): %s", e.getMessage());
        } finally {
            writtenSince.addAndGet(-written);
            analyzing.set(false);
        }
    }

    /** How many analyses this instance has run. */
    public long analyses() {
        return analyses.get();
    }
}
