package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.persistence.testing.ScratchDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * V7 moves a store of the V4 layout (one table, a partial unique index) to monthly partitions and a table of
 * current keys, without losing or changing an event.
 */
class PartitionedEventsMigrationTest {

    private static final String ROWS = """
            select id, account_id, customer_id, event_id, event_name, event_ts, properties::text, source,
                   received_at, superseded_by, superseded_at
            from usage_events order by id""";
    private static final String INSERT = """
            insert into usage_events (id, account_id, customer_id, event_id, event_name, event_ts, properties,
                                      source, received_at, superseded_by, superseded_at)
            values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""";

    @Test
    void movesEveryVersionOfEveryEventUnchanged() throws Exception {
        ScratchDatabase database = ScratchDatabase.create();
        database.migrate("4");
        UUID account = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        Instant now = Instant.now();
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 300; i++) {
                // 13 months back and one hour ahead, to the microsecond; a few backfilled years back.
                Instant ts = i % 50 == 0 ? Instant.parse("2001-03-04T05:06:07.123456Z")
                        : now.minus(random.nextLong(395L * 24 * 3600 * 1_000_000L), ChronoUnit.MICROS)
                                .plus(1, ChronoUnit.HOURS);
                add(insert, UUID.randomUUID(), i % 3 == 0 ? other : account, "e-" + i, ts, now, null, null);
            }
            // A supersede chain whose versions lie in three different months, and the same event id elsewhere.
            UUID v1 = UUID.randomUUID();
            UUID v2 = UUID.randomUUID();
            UUID v3 = UUID.randomUUID();
            add(insert, v1, account, "chain", now.minus(200, ChronoUnit.DAYS), now.minus(3, ChronoUnit.DAYS),
                    v2, now.minus(2, ChronoUnit.DAYS));
            add(insert, v2, account, "chain", now.minus(100, ChronoUnit.DAYS), now.minus(2, ChronoUnit.DAYS),
                    v3, now.minus(1, ChronoUnit.DAYS));
            add(insert, v3, account, "chain", now.minus(1, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS),
                    null, null);
            add(insert, UUID.randomUUID(), other, "chain", now, now, null, null);
            insert.executeBatch();
        }
        List<List<String>> before;
        try (Connection connection = database.connect()) {
            before = rows(connection, ROWS);
        }

        database.migrate("latest");

        try (Connection connection = database.connect()) {
            assertThat(rows(connection, ROWS)).hasSize(304).isEqualTo(before);
            assertThat(rows(connection, "select relkind::text from pg_class where relname = 'usage_events'"))
                    .containsExactly(List.of("p"));
            assertThat(rows(connection, "select count(*) from usage_events_default")).containsExactly(List.of("0"));
            assertThat(rows(connection, "select count(*) from usage_events_2001_03")).containsExactly(List.of("6"));
            // One key per (account, event id), naming the version that had no successor.
            assertThat(rows(connection, """
                    select account_id, event_id, current_id, event_ts from usage_event_keys
                    order by account_id, event_id"""))
                    .hasSize(302)
                    .isEqualTo(rows(connection, """
                            select account_id, event_id, id, event_ts from usage_events where superseded_by is null
                            order by account_id, event_id"""));
            // The key still refuses a second current version.
            try (Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.execute("insert into usage_event_keys values ('" + account
                        + "', 'chain', gen_random_uuid(), now())"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("usage_event_keys_pkey");
            }
        }
    }

    private static void add(PreparedStatement insert, UUID id, UUID account, String eventId, Instant ts,
            Instant received, UUID supersededBy, Instant supersededAt) throws SQLException {
        insert.setObject(1, id);
        insert.setObject(2, account);
        insert.setString(3, "cus_" + (eventId.hashCode() & 7));
        insert.setString(4, eventId);
        insert.setString(5, "api_call");
        insert.setTimestamp(6, Timestamp.from(ts));
        insert.setString(7, "{\"units\": " + (eventId.hashCode() & 15) + ", \"tags\": [\"a\", {\"b\": null}]}");
        insert.setString(8, "MANTLE");
        insert.setTimestamp(9, Timestamp.from(received));
        insert.setObject(10, supersededBy);
        insert.setTimestamp(11, supersededAt == null ? null : Timestamp.from(supersededAt));
        insert.addBatch();
    }

    static List<List<String>> rows(Connection connection, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
