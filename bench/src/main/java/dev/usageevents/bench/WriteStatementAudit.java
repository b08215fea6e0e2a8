package dev.usageevents.bench;

import dev.usageevents.persistence.EventBatchWriter;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * What each part of the writer's batch statement costs PostgreSQL (issue 20; bench/RESULTS.md, "the batch
 * statement's PostgreSQL cost, part by part"). The statement is the writer's own (its constants, read from the
 * built class), bound as the writer binds it: 500 new events a statement, one commit each, 4 connections. Each
 * variant starts from truncated tables and a checkpoint; PostgreSQL's CPU per row is read from /proc (the
 * postmaster, its children, and the children it reaped), so the server must run on this machine.
 *
 * <p>Run from the project root, against an empty database (the migrations are applied if usage_events is missing;
 * the run takes about 12 minutes at 20 s a line):
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.usageevents.bench.WriteStatementAudit \
 *   'jdbc:postgresql://127.0.0.1:5432/audit?user=postgres' 20
 * </pre>
 */
public final class WriteStatementAudit {

    private WriteStatementAudit() {
    }


    private static final int CONNECTIONS = 4;
    private static final int ROWS = 500;
    private static final String[] NAMES = {"api_call", "message_sent", "seat", "storage_gb", "sms"};
    private static final UUID ACCOUNT = UUID.randomUUID();
    private static final String EVENT_COLUMNS = "id, account_id, customer_id, event_id, event_name, event_ts,"
            + " properties, source, received_at, superseded_by, superseded_at";

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, String> sql = writerStatements();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            prepare(s);
            List<String> listIndexes = new ArrayList<>();
            try (ResultSet r = s.executeQuery("select indexdef from pg_indexes where schemaname = current_schema()"
                    + " and tablename = 'usage_events' and indexname <> 'usage_events_pkey' order by indexname")) {
                while (r.next()) {
                    // An index of the partitioned table reads "ON ONLY": made so, it would not reach the partitions.
                    listIndexes.add(r.getString(1).replace(" ON ONLY ", " ON "));
                }
            }
            String shipped = sql.get("INSERT_ALL");
            String withoutLog = shipped.replace(sql.get("LOG_CHANGES"), "");
            String lean = (sql.get("ROWS") + "\n" + sql.get("INSERT_COLUMNS") + " order by n")
                    .replace("insert into usage_events", "insert into bench_lean");
            for (int round = 1; round <= 2; round++) {
                run(url, s, seconds, "lean (heap, primary key, the rule's unique key)", lean);
                run(url, s, seconds, "as shipped", shipped);
                run(url, s, seconds, "as shipped, without the meter change log", withoutLog);
                run(url, s, seconds, "COPY of keys and rows, then the meter log", null);
                for (String index : listIndexes) {
                    s.execute("drop index " + indexName(index));
                }
                run(url, s, seconds, "without the list indexes", shipped);
                run(url, s, seconds, "without the list indexes and the meter change log", withoutLog);
                for (String index : listIndexes) {
                    s.execute(index);
                    run(url, s, seconds, "without the list indexes, plus " + indexName(index), shipped);
                    s.execute("drop index " + indexName(index));
                }
                for (String index : listIndexes) {
                    s.execute(index);
                }
            }
        }
    }

    /** The writer's statements, from its class: what is measured is what ships. */
    private static Map<String, String> writerStatements() throws Exception {
        Map<String, String> statements = new TreeMap<>();
        for (String name : List.of("INSERT_ALL", "LOG_CHANGES", "ROWS", "INSERT_COLUMNS")) {
            Field field = EventBatchWriter.class.getDeclaredField(name);
            field.setAccessible(true);
            statements.put(name, (String) field.get(null));
        }
        return statements;
    }

    private static void prepare(Statement s) throws Exception {
        boolean migrated;
        try (ResultSet r = s.executeQuery("select to_regclass('usage_events') is not null")) {
            r.next();
            migrated = r.getBoolean(1);
        }
        if (!migrated) {
            Path dir = Path.of("adapters-persistence/src/main/resources/db/migration");
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted((a, b) -> Integer.compare(version(a), version(b))).toList()) {
                    s.execute(Files.readString(file));
                }
            }
        }
        s.execute("drop table if exists bench_lean");
        s.execute("create table bench_lean (like usage_events including defaults including constraints)");
        s.execute("alter table bench_lean add primary key (id)");
        s.execute("create unique index on bench_lean (account_id, event_id) where superseded_by is null");
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static String indexName(String definition) {
        return definition.replaceFirst("^CREATE (UNIQUE )?INDEX (\\S+) .*$", "$2");
    }

    /** One line: {@code statement} bound as the writer binds it, or (null) the COPY variant. */
    private static void run(String url, Statement admin, int seconds, String label, String statement)
            throws Exception {
        boolean copy = statement == null;
        admin.execute("truncate usage_events, usage_event_keys, meter_changes, bench_lean");
        admin.execute("checkpoint");
        AtomicLong rows = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        long postmaster = postmaster(admin);
        for (int w = 0; w < CONNECTIONS; w++) {
            Thread writer = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url)) {
                    c.setAutoCommit(false);
                    Random random = new Random();
                    while (!stop.get()) {
                        Batch batch = new Batch(random);
                        if (copy) {
                            batch.copy(c);
                        } else {
                            batch.insert(c, statement);
                        }
                        c.commit();
                        if (measuring.get()) {
                            rows.addAndGet(ROWS);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                    stop.set(true);
                }
            });
            writer.start();
            writers.add(writer);
        }
        Thread.sleep(8_000);
        long ticksFrom = ProcCpu.postgresTicks(postmaster);
        long from = System.nanoTime();
        measuring.set(true);
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long ticks = ProcCpu.postgresTicks(postmaster) - ticksFrom;
        double elapsed = (System.nanoTime() - from) / 1e9;
        stop.set(true);
        for (Thread writer : writers) {
            writer.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(label, failures.get(0));
        }
        long stored;
        try (ResultSet r = admin.executeQuery("select count(*) from "
                + (!copy && statement.contains("insert into bench_lean") ? "bench_lean" : "usage_events"))) {
            r.next();
            stored = r.getLong(1);
        }
        System.out.printf(Locale.ROOT, "%-62s %,8.0f rows/s  PostgreSQL %5.1f µs a row  (%,d rows stored)%n",
                label, rows.get() / elapsed, ticks / ProcCpu.TICKS * 1e6 / rows.get(), stored);
    }

    /** 500 new events of one account: 1,000 customers, 5 names, random event ids (sorted, as the writer sorts). */
    private record Batch(UUID[] ids, String[] customers, String[] eventIds, String[] names, String[] properties,
                         Long[] times) {
        Batch(Random random) {
            this(new UUID[ROWS], new String[ROWS], new String[ROWS], new String[ROWS], new String[ROWS],
                    new Long[ROWS]);
            long now = System.currentTimeMillis();
            for (int i = 0; i < ROWS; i++) {
                ids[i] = new UUID((now << 16) | 0x7000 | random.nextInt(0x1000),
                        random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L);
                customers[i] = "customer-" + random.nextInt(1000);
                eventIds[i] = UUID.randomUUID().toString();
                names[i] = NAMES[random.nextInt(NAMES.length)];
                properties[i] = "{\"amount\": " + random.nextInt(100) + ", \"region\": \"eu\"}";
                times[i] = now;
            }
            Arrays.sort(eventIds);
        }

        /** The writer's binding: 11 arrays, in its order. */
        void insert(Connection c, String statement) throws SQLException {
            UUID[] accounts = new UUID[ROWS];
            String[] sources = new String[ROWS];
            Arrays.fill(accounts, ACCOUNT);
            Arrays.fill(sources, "MANTLE");
            try (PreparedStatement s = c.prepareStatement(statement)) {
                s.setArray(1, c.createArrayOf("uuid", ids));
                s.setArray(2, c.createArrayOf("uuid", accounts));
                s.setArray(3, c.createArrayOf("text", customers));
                s.setArray(4, c.createArrayOf("text", eventIds));
                s.setArray(5, c.createArrayOf("text", names));
                s.setArray(6, c.createArrayOf("bigint", times));
                s.setArray(7, c.createArrayOf("text", properties));
                s.setArray(8, c.createArrayOf("text", sources));
                s.setArray(9, c.createArrayOf("bigint", times));
                s.setArray(10, c.createArrayOf("uuid", new UUID[ROWS]));
                s.setArray(11, c.createArrayOf("bigint", new Long[ROWS]));
                s.executeUpdate();
            }
        }

        /** Text COPY of the keys and the rows, then the meter log's groups in one INSERT. */
        void copy(Connection c) throws Exception {
            StringBuilder keys = new StringBuilder();
            StringBuilder events = new StringBuilder();
            Map<String, List<String>> quarters = new TreeMap<>();
            for (int i = 0; i < ROWS; i++) {
                String at = Instant.ofEpochMilli(times[i]).toString();
                keys.append(String.join("\t", ACCOUNT.toString(), eventIds[i], ids[i].toString(), at)).append('\n');
                events.append(String.join("\t", ids[i].toString(), ACCOUNT.toString(), customers[i], eventIds[i],
                        names[i], at, properties[i], "MANTLE", at, "\\N", "\\N")).append('\n');
                quarters.computeIfAbsent(names[i] + "\t" + times[i] / 900_000 * 900_000, k -> new ArrayList<>())
                        .add(ids[i].toString());
            }
            var api = c.unwrap(PGConnection.class).getCopyAPI();
            api.copyIn("copy usage_event_keys (account_id, event_id, current_id, event_ts) from stdin",
                    new StringReader(keys.toString()));
            api.copyIn("copy usage_events (" + EVENT_COLUMNS + ") from stdin", new StringReader(events.toString()));
            try (PreparedStatement s = c.prepareStatement("""
                    insert into meter_changes (account_id, event_name, quarter, added)
                    select ?, split_part(g, E'\\t', 1),
                           timestamptz 'epoch' + split_part(g, E'\\t', 2)::bigint * interval '1 millisecond',
                           string_to_array(ids, ',')::uuid[]
                    from unnest(?::text[], ?::text[]) as t(g, ids)""")) {
                s.setObject(1, ACCOUNT);
                s.setArray(2, c.createArrayOf("text", quarters.keySet().toArray()));
                s.setArray(3, c.createArrayOf("text", quarters.values().stream()
                        .map(v -> String.join(",", v)).toArray()));
                s.executeUpdate();
            }
        }
    }

    /** The postmaster of the server this connection reaches: the parent of its backend. */
    private static long postmaster(Statement s) throws Exception {
        try (ResultSet r = s.executeQuery("select pg_backend_pid()")) {
            r.next();
            return ProcCpu.parent(r.getLong(1));
        }
    }
}
