package dev.usageevents.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Every version of every event of one account, read with plain JDBC from {@code usage_events}, and the checks
 * that the fault tests make against it.
 */
final class StoredEvents {

    record Row(UUID id, String eventId, UUID supersededBy, String source, String properties) {
        boolean current() {
            return supersededBy == null;
        }
    }

    private final Map<UUID, Row> byId = new LinkedHashMap<>();
    private final Map<String, List<Row>> byEventId = new HashMap<>();

    private StoredEvents(List<Row> rows) {
        for (Row row : rows) {
            byId.put(row.id(), row);
            byEventId.computeIfAbsent(row.eventId(), k -> new ArrayList<>()).add(row);
        }
    }

    /** Where the events are read from. */
    @FunctionalInterface
    interface Database {
        Connection connect() throws SQLException;
    }

    static StoredEvents of(Database database, Account account) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement("""
                        select id, event_id, superseded_by, source, properties::text
                        from usage_events where account_id = ? order by id""")) {
            select.setObject(1, account.id());
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getObject(1, UUID.class), result.getString(2),
                            result.getObject(3, UUID.class), result.getString(4), result.getString(5)));
                }
            }
        }
        return new StoredEvents(rows);
    }

    int size() {
        return byId.size();
    }

    /** How many versions the channel {@code source} (MANTLE, SEQUENCE, GRPC) created. */
    long versionsBy(String source) {
        return byId.values().stream().filter(row -> row.source().equals(source)).count();
    }

    List<Row> versions(String eventId) {
        return byEventId.getOrDefault(eventId, List.of());
    }

    /**
     * Nothing acknowledged that is not stored: a Sequence create's answered id is a stored version of its
     * event id; every event id of an acknowledged Mantle call is stored.
     */
    void assertAcknowledgedWritesStored(Collection<Reply> replies) {
        int checked = 0;
        for (Reply reply : replies) {
            if (!reply.acknowledgedWrite()) {
                continue;
            }
            if (reply.call().channel() == Call.Channel.SEQUENCE) {
                Row row = byId.get(reply.sequenceId());
                assertThat(row).as("the version acknowledged to %s", reply).isNotNull();
                assertThat(row.eventId()).as("event id of the version acknowledged to %s", reply)
                        .isEqualTo(reply.call().eventIds().get(0));
            } else {
                for (String eventId : reply.call().eventIds()) {
                    assertThat(versions(eventId)).as("versions of %s, acknowledged to %s", eventId, reply)
                            .isNotEmpty();
                }
            }
            checked++;
        }
        assertThat(checked).as("acknowledged writes checked").isPositive();
    }

    /** A batch is all or nothing, whatever became of its call: none or all of its (new) event ids are stored. */
    void assertBatchesAllOrNothing(Collection<Reply> replies) {
        for (Reply reply : replies) {
            List<String> eventIds = reply.call().eventIds();
            if (reply.call().write() && eventIds.size() > 1) {
                long stored = eventIds.stream().filter(id -> !versions(id).isEmpty()).count();
                assertThat(stored).as("events stored of the batch %s", reply).isIn(0L, (long) eventIds.size());
            }
        }
    }

    /**
     * No loss and no double count: each of {@code eventIds} has exactly one version, current, and the account
     * holds nothing else.
     */
    void assertExactlyOneVersionOfEach(Set<String> eventIds) {
        for (String eventId : eventIds) {
            List<Row> versions = versions(eventId);
            assertThat(versions).as("versions of %s", eventId).hasSize(1);
            assertThat(versions.get(0).current()).as("%s is current", eventId).isTrue();
        }
        assertThat(byEventId.keySet()).as("event ids stored").isEqualTo(eventIds);
    }

    /**
     * The history of one event id is one chain: exactly one current version; every other version is superseded
     * by a version of the same event id; no version has two predecessors; and following the successors from
     * the one version without a predecessor visits every version and ends at the current one.
     *
     * @return the versions, oldest first
     */
    List<Row> assertOneChain(String eventId) {
        List<Row> versions = versions(eventId);
        assertThat(versions).as("versions of %s", eventId).isNotEmpty();
        assertThat(versions.stream().filter(Row::current)).as("current versions of %s", eventId).hasSize(1);
        Map<UUID, Row> predecessorOf = new HashMap<>();
        for (Row row : versions) {
            if (!row.current()) {
                Row successor = byId.get(row.supersededBy());
                assertThat(successor).as("successor %s of %s", row.supersededBy(), row.id()).isNotNull();
                assertThat(successor.eventId()).as("event id of the successor of %s", row.id()).isEqualTo(eventId);
                Row other = predecessorOf.put(successor.id(), row);
                assertThat(other).as("a second predecessor of %s besides %s", successor.id(), row.id()).isNull();
            }
        }
        List<Row> heads = versions.stream().filter(row -> !predecessorOf.containsKey(row.id())).toList();
        assertThat(heads).as("versions of %s without a predecessor", eventId).hasSize(1);
        List<Row> chain = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (Row row = heads.get(0); row != null; row = row.current() ? null : byId.get(row.supersededBy())) {
            assertThat(seen.add(row.id())).as("%s visited once", row.id()).isTrue();
            chain.add(row);
        }
        assertThat(chain).as("the chain of %s", eventId).hasSameSizeAs(versions);
        assertThat(chain.get(chain.size() - 1).current()).as("the chain of %s ends at the current version", eventId)
                .isTrue();
        return chain;
    }
}
