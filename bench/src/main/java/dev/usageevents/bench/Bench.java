package dev.usageevents.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.usageevents.grpc.v1.EventInput;
import dev.usageevents.grpc.v1.StreamEventsRequest;
import dev.usageevents.grpc.v1.StreamEventsResponse;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Measures, in one run on one machine: raw PostgreSQL baselines on the events table's shape, then the service's
 * channels, and prints each figure with its ratio to the baseline it must be compared with. Measurement 9 (meters
 * at scale, only with {@code --meter-events}) loads its events with SQL ({@link #loadMeterEvents} says how) and
 * compares the service with a second one that computes meters on read ({@link #metersAtScale}).
 */
public final class Bench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final Map<String, String> args;
    private Duration measure;
    /** How long the first load after start (measurement 8) runs, and its steady counterpart. */
    private static final Duration COLD = Duration.ofSeconds(30);
    private final Duration warmup;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong loads = new AtomicLong();
    /** Events the service acknowledged as stored, over the whole run (warm-up included). */
    private final AtomicLong acknowledged = new AtomicLong();
    /** Requests wrk may have left in flight when its runs stopped (it does not wait for their answers). */
    private long abandoned;
    /** Events of the bench's account found in the table, counted before each truncation and at the end. */
    private long stored;
    private final List<String> rows = new ArrayList<>();
    /** The CPU used over the measured seconds of the last load or baseline. */
    private Cpu window;
    /** PostgreSQL's postmaster (found through a backend of ours: the bench runs on the database's machine). */
    private long postmaster;

    private Bench(Map<String, String> args) {
        this.args = args;
        this.measure = Duration.ofSeconds(Long.parseLong(args.getOrDefault("seconds", "15")));
        this.warmup = Duration.ofSeconds(Long.parseLong(args.getOrDefault("warmup", "8")));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            args.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        new Bench(args).run();
    }

    private String arg(String name) {
        String value = args.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name + "=...");
        }
        return value;
    }

    /** Whether measurement {@code n} was asked for ({@code --only=2,4}; all by default). */
    private boolean wanted(String n) {
        String only = args.get("only");
        return only == null || List.of(only.split(",")).contains(n);
    }

    /** A part of (9), e.g. 9e: asked for by name, or with all of (9). */
    private boolean wantedOf9(String n) {
        return wanted("9") || wanted(n);
    }

    /**
     * The service is warmed up first: its JIT compiler needs about a minute of load on two shared cores, and
     * would otherwise be measured as the service. Then each service measurement is compared with its baseline
     * measured just before and just after it (their mean), so that a drift of the machine (the time its disk takes
     * to flush varies from minute to minute) affects both alike; and each starts, like its baseline, on a store of
     * the same size: an empty one, or the full one of {@code --full-store} or {@code --keep-store} (indexes that
     * outgrow PostgreSQL's shared buffers make every insert dearer, whoever inserts).
     */
    private void run() throws Exception {
        boolean keepStore = args.containsKey("keep-store");
        Credentials credentials = keepStore ? largestAccount() : createAccount();
        Load cold = wanted("8") ? wrkSequence(credentials, 64, newEventIds("cold"), COLD) : null;
        boolean ingest = wanted("2") || wanted("3") || wanted("4") || wanted("5");
        boolean warmedUp = false;
        if (ingest || cold != null || args.containsKey("full-store")) {
            warmUp(credentials);
            warmedUp = true;
        }
        if (ingest) {
            throughput(credentials, keepStore);
        }
        if (cold != null) {
            Load steady = onEmptyTable(credentials, () -> wrkSequence(credentials, 64, newEventIds("steady"), COLD));
            double r = cold.perSecond() / steady.perSecond();
            row("8", "Sequence single events in the first " + COLD.toSeconds() + " s after the service is ready "
                    + "(wrk, 64 connections)", cold.perSecond(), "events/s", String.format(Locale.ROOT,
                    "%.2fx of steady (target >= 0.6x: %s)", r, r >= 0.6 ? "met" : "NOT met"), cold.latency());
            row("8", "the same, " + COLD.toSeconds() + " s after the warm-up (steady)", steady.perSecond(),
                    "events/s", "", steady.latency());
        }
        if (wanted("7")) {
            meterCalculate();
        }
        if (args.containsKey("meter-events")) {
            metersAtScale(credentials, warmedUp);
        } else if (args.containsKey("only") && wanted("9f")) {
            ingestWithMeters(warmedUp);
        }
        if (args.containsKey("full-store")) {
            fullStore(credentials, Long.parseLong(args.get("full-store")));
            if (ingest) {
                throughput(credentials, true);
            }
        }
        long rssKb = peakRssKb(arg("app-pid"));
        row("6", "service peak RSS (VmHWM)", rssKb / 1024.0, "MB", rssKb / 1024.0 <= 400 ? "<= 400 MB: met"
                : "<= 400 MB: NOT met", "");
        print();
        countStored(credentials);
        long acked = acknowledged.get();
        long extra = stored - acked;
        System.out.printf(Locale.ROOT, "%nacknowledged %,d events, stored %,d: %s%n", acked, stored,
                extra == 0 ? "every acknowledged event stored, once"
                        : extra < 0 ? "ACKNOWLEDGED EVENTS MISSING"
                        : extra <= abandoned ? "every acknowledged event stored, once; " + extra + " more stored,"
                                + " of the at most " + abandoned + " requests wrk left unanswered when it stopped"
                        : "MORE STORED THAN SENT WITHOUT AN ANSWER (" + extra + " events)");
    }

    @FunctionalInterface
    private interface Measurement<T> {
        T run() throws Exception;
    }

    @FunctionalInterface
    private interface Baseline {
        double run(BaselineTable table) throws Exception;
    }

    /**
     * The ingest measurements (2) to (5), issue 20's table, on the store as it is. With {@code full} false, each
     * load on an empty store: the service's tables truncated before each, each baseline's table made anew; with
     * true, on the full store as it is, nothing truncated, each baseline's table first made as a copy of the
     * whole store (so that both insert into trees of the same size). Each service figure is compared with the
     * mean of its baselines measured just before and just after it: in the lean table (the target) and in the one
     * with every index (the reading kept from before); each figure shows the CPU per event of the service and of
     * PostgreSQL over its measured seconds.
     */
    private void throughput(Credentials credentials, boolean full) throws Exception {
        String store = full ? storeSize() : "empty store";
        System.out.println("ingest measurements on the " + store);
        if (full) {
            for (BaselineTable table : BaselineTable.values()) {
                createBaselineTable(table, true);
            }
        }
        String on = " [" + store + "]";
        if (wanted("2")) {
            String what = "PostgreSQL single-row INSERT per transaction, 64 connections (pgbench)";
            Baseline pgbench = table -> pgbenchSingleInserts(table, 64);
            Map<BaselineTable, Double> before = baselines("1a", what, "before (2)" + on, full, pgbench);
            Load sequence = onStore(credentials, full, () -> wrkSequenceSingle(credentials, 64));
            String cpu = cpuPerEvent(sequence.perSecond(), true);
            Map<BaselineTable, Double> after = baselines("1a", what, "after (2)" + on, full, pgbench);
            row("2", "Sequence POST /api/usage-events, 64 connections (wrk)" + on, sequence.perSecond(), "events/s",
                    ratios(sequence.perSecond(), before, after, 2.0), sequence.latency() + "; " + cpu);
        }
        if (wanted("3") || wanted("4")) {
            String what = "PostgreSQL 500-row INSERT per transaction, 4 connections";
            Baseline batches = table -> baselineBatchInserts(table, 4, 500);
            Map<BaselineTable, Double> before = baselines("1b", what, "before (3) and (4)" + on, full, batches);
            Load mantle = null;
            String mantleCpu = "";
            if (wanted("3")) {
                mantle = onStore(credentials, full, () -> mantleBulk(credentials, 4, 500));
                mantleCpu = cpuPerEvent(mantle.perSecond(), true);
            }
            Load stream = null;
            String streamCpu = "";
            if (wanted("4")) {
                stream = onStore(credentials, full, () -> grpcStream(credentials, 2, 500, 4));
                streamCpu = cpuPerEvent(stream.perSecond(), true);
            }
            Map<BaselineTable, Double> after = baselines("1b", what, "after (3) and (4)" + on, full, batches);
            if (mantle != null) {
                row("3", "Mantle POST /v1/usage_events events[500], 4 connections" + on, mantle.perSecond(),
                        "events/s", ratios(mantle.perSecond(), before, after, 0.9),
                        mantle.latency() + "; " + mantleCpu);
            }
            if (stream != null) {
                row("4", "gRPC StreamEvents, 2 streams, batches of 500, 4 unacked per stream" + on,
                        stream.perSecond(), "events/s", ratios(stream.perSecond(), before, after, 0.9), streamCpu);
            }
        }
        if (wanted("5")) {
            Load fixed = onStore(credentials, full, () -> sequenceFixedRate(credentials, 1000, 64));
            row("5", "Sequence single events at a fixed 1,000 req/s, 64 connections" + on, fixed.perSecond(),
                    "events/s", fixed.p99Millis() <= 20 ? "p99 <= 20 ms: met" : "p99 <= 20 ms: NOT met",
                    fixed.latency() + "; " + cpuPerEvent(fixed.perSecond(), true));
        }
    }

    /** {@code load} on an empty store ({@link #onEmptyTable}) or, when {@code full}, on the store as it is. */
    private <T> T onStore(Credentials credentials, boolean full, Measurement<T> load) throws Exception {
        return full ? load.run() : onEmptyTable(credentials, load);
    }

    /** {@code baseline} in each table (made anew first unless {@code full}), a row each; the rates by table. */
    private Map<BaselineTable, Double> baselines(String n, String what, String when, boolean full, Baseline baseline)
            throws Exception {
        Map<BaselineTable, Double> rates = new EnumMap<>(BaselineTable.class);
        for (BaselineTable table : BaselineTable.values()) {
            if (!full) {
                createBaselineTable(table, false);
            }
            double rate = baseline.run(table);
            row(n, what + ", " + table.label + ", " + when, rate, "rows/s", "", cpuPerEvent(rate, false));
            rates.put(table, rate);
        }
        return rates;
    }

    /** The ratio to the lean baseline (with its target) and to the one with every index (the mean of each). */
    private static String ratios(double value, Map<BaselineTable, Double> before, Map<BaselineTable, Double> after,
            double target) {
        double lean = (before.get(BaselineTable.LEAN) + after.get(BaselineTable.LEAN)) / 2;
        double all = (before.get(BaselineTable.ALL_INDEXES) + after.get(BaselineTable.ALL_INDEXES)) / 2;
        return ratio(value, lean, target) + " of lean; " + String.format(Locale.ROOT, "%.2fx of every index",
                value / all);
    }

    /** The events and the size of the store (events with their indexes, and the keys). */
    private String storeSize() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                select (select count(*) from usage_events),
                       pg_size_pretty((select sum(pg_total_relation_size(relid)) from pg_partition_tree('usage_events'))
                                      + pg_total_relation_size('usage_event_keys'))""")) {
            r.next();
            return String.format(Locale.ROOT, "full store, %,d events, %s", r.getLong(1), r.getString(2));
        }
    }

    /**
     * With {@code --keep-store}: the account holding the most events of the kept database, its secrets rotated
     * (the run that stored them did not keep them); its events so far are not this run's.
     */
    private Credentials largestAccount() throws Exception {
        UUID account;
        long events;
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "select account_id, count(*) from usage_events group by account_id order by 2 desc limit 1")) {
            if (!r.next()) {
                throw new IllegalStateException("--keep-store: the database holds no events");
            }
            account = r.getObject(1, UUID.class);
            events = r.getLong(2);
        }
        stored -= events;
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(arg("app") + "/admin/accounts/"
                        + account + "/rotate-secrets")).header("Authorization", "Bearer " + arg("admin-token"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("rotate-secrets answered " + response.statusCode() + " " + response.body());
        }
        System.out.printf(Locale.ROOT, "kept store: account %s with %,d events%n", account, events);
        return credentials(JSON.readTree(response.body()));
    }

    /** Runs a load on an empty events table, once the events stored so far are counted. */
    private <T> T onEmptyTable(Credentials credentials, Measurement<T> load) throws Exception {
        countStored(credentials);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("truncate usage_events, usage_event_keys");
        }
        return load.run();
    }

    /**
     * Adds the events of the bench's account in the table to {@link #stored}: with {@link #acknowledged}, it shows
     * that every event the service acknowledged is in the database, once (each load sends only new event ids).
     */
    private void countStored(Credentials credentials) throws SQLException {
        try (Connection c = connect(); PreparedStatement count = c.prepareStatement(
                "select count(*) from usage_events where account_id = ?")) {
            count.setObject(1, credentials.accountId());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                stored += rows.getLong(1);
            }
        }
    }

    /** Every channel, unrecorded, for {@code --service-warmup} seconds each (default 20; 0 skips it). */
    private void warmUp(Credentials credentials) throws Exception {
        Duration measured = measure;
        measure = Duration.ofSeconds(Long.parseLong(args.getOrDefault("service-warmup", "20")));
        if (measure.isZero()) {
            measure = measured;
            return;
        }
        try {
            System.out.println("warming the service up: " + measure.toSeconds() + " s per channel");
            sequenceSingle(credentials, 64);
            mantleBulk(credentials, 4, 500);
            grpcStream(credentials, 2, 500, 4);
        } finally {
            measure = measured;
        }
    }

    // ---------------------------------------------------------------- baselines

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(arg("jdbc-url"), arg("db-user"), args.getOrDefault("db-password", ""));
    }

    /**
     * The baselines' tables, plain (not partitioned), of usage_events' columns and checks. Both keep the rule the
     * service keeps in usage_event_keys (one current event per account and event id) by the partial unique index
     * that kept it before the partitioned layout.
     */
    private enum BaselineTable {
        /** With every index of usage_events too (primary key and list indexes): the same work as the service. */
        ALL_INDEXES("bench_baseline", "every index"),
        /** With a primary key on the row id and the rule's unique key only (issue 20's baseline). */
        LEAN("bench_lean", "lean");

        final String table;
        final String label;

        BaselineTable(String table, String label) {
            this.table = table;
            this.label = label;
        }
    }

    /**
     * Makes {@code baseline}'s table anew; with {@code copyStore}, every stored event is copied into it first (a
     * baseline as large as the service's store), and its indexes are built after the copy, as a bulk load would.
     */
    private void createBaselineTable(BaselineTable baseline, boolean copyStore) throws SQLException {
        String table = baseline.table;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            createUuidV7Function(s);
            s.execute("drop table if exists " + table);
            s.execute("create table " + table + " (like usage_events including defaults including constraints)");
            if (copyStore) {
                s.execute("set maintenance_work_mem = '1GB'");
                long started = System.nanoTime();
                s.execute("insert into " + table + " select * from usage_events");
                System.out.printf(Locale.ROOT, "copied the store into %s in %.0f s%n", table,
                        (System.nanoTime() - started) / 1e9);
            }
            if (baseline == BaselineTable.ALL_INDEXES) {
                List<String> definitions = new ArrayList<>();
                try (ResultSet r = s.executeQuery("select indexdef from pg_indexes"
                        + " where schemaname = current_schema() and tablename = 'usage_events'")) {
                    while (r.next()) {
                        definitions.add(r.getString(1));
                    }
                }
                for (String definition : definitions) {
                    s.execute(definition.replaceFirst("INDEX \\S+ ON (ONLY )?\\S+", "INDEX ON " + table));
                }
            } else {
                s.execute("alter table " + table + " add primary key (id)");
            }
            s.execute("create unique index on " + table + " (account_id, event_id) where superseded_by is null");
            // A copy is vacuumed at once, as the store was after its load: else autovacuum reads and writes all of
            // it during the measurements (it did, in the first run of this mode: bench/RESULTS.md)
            s.execute((copyStore ? "vacuum (analyze) " : "analyze ") + table);
        }
    }

    /**
     * (1a) with pgbench, PostgreSQL's own C client: single-row inserts, one transaction each, prepared, on
     * {@code connections} connections. Like (2)'s wrk, a client that costs the shared cores little per call, so
     * that both figures are the server's (a Java client's 64 blocking threads took a third of a core here, at
     * 8,500 calls/s). The values are parameters, as a driver sends them; the row id a UUIDv7 of {@code now()}, as
     * the service makes its row ids (a random one costs the primary key a random page of a large table).
     */
    private double pgbenchSingleInserts(BaselineTable table, int connections) throws Exception {
        Path script = Files.createTempFile("bench-single-insert", ".sql");
        try {
            Files.writeString(script, """
                    \\set n random(1, 1000000000000000)
                    insert into %s (id, account_id, customer_id, event_id, event_name, event_ts,
                      properties, source, received_at)
                    values (uuid_v7(now(), :n), '%s', 'customer-' || :client_id, 'single-' || :client_id || '-' || :n,
                      'message-sent', now(), '{"length": 500, "type": "text_message"}', 'SEQUENCE', now());
                    """.formatted(table.table, UUID.randomUUID()));
            URI db = URI.create(arg("jdbc-url").substring("jdbc:".length()));
            List<String> command = List.of("pgbench", "-n", "-M", "prepared", "-h", db.getHost(),
                    "-p", Integer.toString(db.getPort()), "-U", arg("db-user"), "-f", script.toString(),
                    "-c", Integer.toString(connections), "-j", Integer.toString(CORES), "-T", "%d",
                    db.getPath().substring(1));
            Map<String, String> env = Map.of("PGPASSWORD", args.getOrDefault("db-password", ""));
            tool(seconds(command, warmup), env);
            Cpu from = cpu();
            String out = tool(seconds(command, measure), env);
            window = cpu().minus(from);
            Matcher tps = Pattern
                    .compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(out);
            if (!tps.find()) {
                throw new IllegalStateException("no tps in pgbench's output:\n" + out);
            }
            return Double.parseDouble(tps.group(1));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** (1b): 500-row inserts over JDBC, one transaction each; row ids UUIDv7 of the time, as the service's. */
    private double baselineBatchInserts(BaselineTable table, int connections, int rows) throws Exception {
        String sql = "insert into " + table.table + " (id, account_id, customer_id, event_id, event_name, event_ts,"
                + " properties, source, received_at) select id, ?, customer_id, event_id, 'message-sent', now(),"
                + " properties::jsonb, 'MANTLE', now() from unnest(?::uuid[], ?::text[], ?::text[], ?::text[])"
                + " as t(id, customer_id, event_id, properties)";
        UUID account = UUID.randomUUID();
        return timed(connections, (worker, count, until) -> {
            try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(sql)) {
                long batchNo = 0;
                while (System.nanoTime() < until.get()) {
                    UUID[] ids = new UUID[rows];
                    String[] customers = new String[rows];
                    String[] eventIds = new String[rows];
                    String[] properties = new String[rows];
                    for (int i = 0; i < rows; i++) {
                        ids[i] = uuidV7(System.currentTimeMillis());
                        customers[i] = "customer-" + worker;
                        eventIds[i] = "batch-" + worker + "-" + batchNo + "-" + i;
                        properties[i] = "{\"key\": \"value\"}";
                    }
                    batchNo++;
                    insert.setObject(1, account);
                    insert.setArray(2, c.createArrayOf("uuid", ids));
                    insert.setArray(3, c.createArrayOf("text", customers));
                    insert.setArray(4, c.createArrayOf("text", eventIds));
                    insert.setArray(5, c.createArrayOf("text", properties));
                    insert.executeUpdate();
                    count.addAndGet(rows);
                }
            }
        });
    }

    // ---------------------------------------------------------------- the service

    /**
     * A prefix of event ids no other load of this run uses: every event a load sends is new, never a supersede
     * or a duplicate of one the warm-up sent.
     */
    private String newEventIds(String channel) {
        return runId + "-" + loads.incrementAndGet() + "-" + channel + "-";
    }

    private record Credentials(UUID accountId, String basic, String appId, String apiKey) {
    }

    /** Events of measurement (7): one customer's month. */
    private static final int METER_EVENTS = 1_000_000;
    private static final int METER_CALLS = 7;

    /**
     * (7) Sequence {@code calculate} of a SUM meter over one customer-month of 1,000,000 events, computed on read.
     * The events are loaded by one SQL statement (not through the service: ingest is measured above) into an
     * account of their own, so that the stored-events check of the other measurements is untouched, and removed
     * afterwards. The first call is not counted (it warms the plan and the page cache); each answer's value is
     * checked against the sum PostgreSQL computes directly.
     */
    private void meterCalculate() throws Exception {
        Credentials account = createAccount();
        String customer = "meter-customer";
        long expected;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            long started = System.nanoTime();
            s.execute("insert into usage_events (id, account_id, customer_id, event_id, event_name, event_ts,"
                    + " properties, source, received_at)"
                    + " select gen_random_uuid(), '" + account.accountId() + "', '" + customer + "', 'm-' || i,"
                    + " 'api-call', timestamptz '2024-01-01' + (i::bigint * 2678) * interval '1 millisecond',"
                    + " jsonb_build_object('tokens', i % 1000, 'model', case when i % 3 = 0 then 'a' else 'b' end),"
                    + " 'GRPC', now() from generate_series(0, " + (METER_EVENTS - 1) + ") i");
            s.execute("analyze usage_events");
            System.out.printf(Locale.ROOT, "(7) loaded %,d events in %.1f s%n", METER_EVENTS,
                    (System.nanoTime() - started) / 1e9);
            try (ResultSet sum = s.executeQuery("select sum((properties ->> 'tokens')::numeric) from usage_events"
                    + " where account_id = '" + account.accountId() + "'")) {
                sum.next();
                expected = sum.getLong(1);
            }
        }
        String what = "Sequence GET /api/usage-metrics/{id}/calculate, SUM over 1 customer-month of 1,000,000 events";
        try {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(arg("app")
                    + "/api/usage-metrics")).header("Authorization", account.basic())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench tokens\",\"metricType\":\"SIMPLE\","
                            + "\"eventType\":\"api-call\",\"aggregationType\":\"SUM\","
                            + "\"aggregationProperty\":\"tokens\"}")).build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                System.out.println("| 7 | " + what + " | not measured: POST /api/usage-metrics answered "
                        + created.statusCode() + " |  |  |");
                rows.add("| 7 | " + what + " | not measured: POST /api/usage-metrics answered " + created.statusCode()
                        + " |  |  |");
                return;
            }
            String id = JSON.readTree(created.body()).get("id").asText();
            URI calculate = URI.create(arg("app") + "/api/usage-metrics/" + id + "/calculate?customerAliases="
                    + customer + "&periodStart=2024-01-01&periodEnd=2024-01-31");
            List<Double> millis = new ArrayList<>();
            for (int call = 0; call <= METER_CALLS; call++) {
                long started = System.nanoTime();
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(calculate)
                        .header("Authorization", account.basic()).timeout(Duration.ofMinutes(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                double elapsed = (System.nanoTime() - started) / 1e6;
                JsonNode body = JSON.readTree(answer.body());
                if (answer.statusCode() != 200 || new java.math.BigDecimal(body.get("value").asText()).compareTo(java.math.BigDecimal.valueOf(expected)) != 0
                        || body.get("eventCount").asLong() != METER_EVENTS) {
                    throw new IllegalStateException("calculate answered " + answer.statusCode() + " " + answer.body()
                            + ", expected the value " + expected + " of " + METER_EVENTS + " events");
                }
                if (call > 0) {
                    millis.add(elapsed);
                }
            }
            millis.sort(Double::compare);
            row("7", what, millis.get(millis.size() / 2), "ms (median)", "value checked",
                    String.format(Locale.ROOT, "min %.0f ms, max %.0f ms over %d calls", millis.get(0),
                            millis.get(millis.size() - 1), millis.size()));
        } finally {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("delete from usage_events where account_id = '" + account.accountId() + "'");
            }
        }
    }

    private Credentials createAccount() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(arg("app") + "/admin/accounts"))
                .header("Authorization", "Bearer " + arg("admin-token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench " + runId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("account creation failed: " + response.statusCode() + " " + response.body());
        }
        return credentials(JSON.readTree(response.body()));
    }

    /** The credentials in an account as the admin API shows it on creation or rotation. */
    private static Credentials credentials(JsonNode account) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((account.at("/sequence/clientId").asText() + ":"
                + account.at("/sequence/clientSecret").asText()).getBytes(StandardCharsets.UTF_8));
        return new Credentials(UUID.fromString(account.get("id").asText()), basic,
                account.at("/mantle/appId").asText(), account.at("/mantle/apiKey").asText());
    }

    private static String sequenceEvent(String eventId, String customer) {
        return sequenceEvent(eventId, customer, Instant.now());
    }

    private static String sequenceEvent(String eventId, String customer, Instant timestamp) {
        return sequenceEvent(eventId, customer, timestamp, "message-sent",
                "{\"length\":500,\"type\":\"text_message\"}");
    }

    private static String sequenceEvent(String eventId, String customer, Instant timestamp, String eventType,
            String properties) {
        return "{\"customerEventId\":\"" + eventId + "\",\"customerAlias\":\"" + customer + "\","
                + "\"eventType\":\"" + eventType + "\",\"eventTimestamp\":\"" + timestamp + "\","
                + "\"eventProperties\":" + properties + "}";
    }

    private Map<String, String> sequenceHeaders(Credentials credentials) {
        return Map.of("Authorization", credentials.basic(), "Content-Type", "application/json");
    }

    private Load sequenceSingle(Credentials credentials, int connections) throws Exception {
        return sequenceSingle(credentials, connections, null);
    }

    /** Single Sequence events on {@code connections} Java connections; ids and timestamps as {@code traffic}. */
    private Load sequenceSingle(Credentials credentials, int connections, Traffic traffic) throws Exception {
        Recorder latencies = new Recorder(3);
        AtomicLong failures = new AtomicLong();
        Map<String, String> headers = sequenceHeaders(credentials);
        String ids = newEventIds("s");
        double rate = timed(connections, (worker, count, until) -> {
            try (HttpConnection connection = new HttpConnection(URI.create(arg("app")))) {
                long i = 0;
                while (System.nanoTime() < until.get()) {
                    byte[] body = (traffic == null ? sequenceEvent(ids + worker + "-" + i++, "customer-" + worker)
                            : sequenceEvent(traffic.eventId(), traffic.customer(), traffic.timestamp(),
                                    traffic.sequenceEventName(), traffic.sequenceProperties()))
                            .getBytes(StandardCharsets.UTF_8);
                    long start = System.nanoTime();
                    int status = send(connection, "/api/usage-events", headers, body);
                    latencies.recordValue(System.nanoTime() - start);
                    if (status == 201) {
                        count.incrementAndGet();
                        acknowledged.incrementAndGet();
                    } else {
                        failures.incrementAndGet();
                    }
                }
            }
        }, latencies);
        return new Load(rate, latencies.getIntervalHistogram(), failures.get());
    }

    /**
     * (2) with wrk: {@code connections} keep-alive connections on as many threads as cores, each POSTing one new
     * event after another (bench/wrk/sequence.lua); an unmeasured run first, then the measured one. The answers
     * that are not 201 are counted as failures.
     */
    private Load wrkSequenceSingle(Credentials credentials, int connections) throws Exception {
        String ids = newEventIds("w");
        Load load = null;
        for (Duration duration : List.of(warmup, measure)) {
            load = wrkSequence(credentials, connections, ids, duration);
        }
        return load;
    }

    /** One measured wrk run of {@link #wrkSequenceSingle}'s load, its event ids prefixed by {@code ids}. */
    private Load wrkSequence(Credentials credentials, int connections, String ids, Duration duration)
            throws Exception {
        Cpu from = cpu();
        String out = tool(List.of("wrk", "-t" + CORES, "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "10s", "-s", arg("wrk-script"), arg("app"), "--", ids + duration.toSeconds() + "-",
                credentials.basic()), Map.of());
        window = cpu().minus(from);
        Matcher m = Pattern.compile(
                "created (\\d+) other (\\d+) seconds ([0-9.]+) p50_us (\\d+) p99_us (\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no summary in wrk's output:\n" + out);
        }
        long created = Long.parseLong(m.group(1));
        acknowledged.addAndGet(created);
        abandoned += connections;
        return new Load(created / Double.parseDouble(m.group(3)), Long.parseLong(m.group(4)) * 1000,
                Long.parseLong(m.group(5)) * 1000, Long.parseLong(m.group(2)));
    }

    /** {@code command} with its {@code %d} (the duration) in seconds. */
    private static List<String> seconds(List<String> command, Duration duration) {
        return command.stream().map(a -> a.equals("%d") ? Long.toString(duration.toSeconds()) : a).toList();
    }

    /** Runs a load tool to its end; its output (stdout and stderr). */
    private static String tool(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    /** The status, or -1 if the connection failed (it is then reopened for the next request). */
    private static int send(HttpConnection connection, String path, Map<String, String> headers, byte[] body) {
        try {
            return connection.post(path, headers, body);
        } catch (IOException e) {
            connection.close();
            return -1;
        }
    }

    private Load mantleBulk(Credentials credentials, int connections, int size) throws Exception {
        return mantleBulk(credentials, connections, size, null);
    }

    /** Mantle batches of {@code size} on {@code connections} connections; ids and timestamps as {@code traffic}. */
    private Load mantleBulk(Credentials credentials, int connections, int size, Traffic traffic) throws Exception {
        Recorder latencies = new Recorder(3);
        AtomicLong failures = new AtomicLong();
        String ids = newEventIds("m");
        Map<String, String> headers = Map.of("X-Mantle-App-Id", credentials.appId(),
                "X-Mantle-App-Api-Key", credentials.apiKey(), "Content-Type", "application/json");
        double rate = timed(connections, (worker, count, until) -> {
            try (HttpConnection connection = new HttpConnection(URI.create(arg("app")))) {
                long batchNo = 0;
                while (System.nanoTime() < until.get()) {
                    StringBuilder body = new StringBuilder("{\"events\":[");
                    for (int i = 0; i < size; i++) {
                        if (traffic == null) {
                            body.append(i == 0 ? "" : ",").append("{\"customerId\":\"customer-").append(worker)
                                    .append("\",\"eventId\":\"").append(ids).append(worker).append('-')
                                    .append(batchNo).append('-').append(i).append("\",\"eventName\":\"api-call\","
                                            + "\"timestamp\":").append(System.currentTimeMillis())
                                    .append(",\"properties\":{\"key\":\"value\"}}");
                        } else {
                            body.append(i == 0 ? "" : ",").append("{\"customerId\":\"").append(traffic.customer())
                                    .append("\",\"eventId\":\"").append(traffic.eventId())
                                    .append("\",\"eventName\":\"").append(traffic.mantleEventName())
                                    .append("\",\"timestamp\":").append(traffic.timestamp().toEpochMilli())
                                    .append(",\"properties\":").append(traffic.mantleProperties()).append('}');
                        }
                    }
                    batchNo++;
                    byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
                    long start = System.nanoTime();
                    int status = send(connection, "/v1/usage_events", headers, bytes);
                    latencies.recordValue(System.nanoTime() - start);
                    if (status / 100 == 2) {
                        count.addAndGet(size);
                        acknowledged.addAndGet(size);
                    } else {
                        failures.incrementAndGet();
                    }
                }
            }
        }, latencies);
        return new Load(rate, latencies.getIntervalHistogram(), failures.get());
    }

    /**
     * Sends at a fixed rate whatever the answers' pace: a pacer hands each request's due time to a pool of
     * {@code connections} senders, and each request is measured from the moment it was due, so that a stall
     * (requests waiting for a free connection included) is counted in full (no coordinated omission).
     */
    private Load sequenceFixedRate(Credentials credentials, int perSecond, int connections) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long total = perSecond * measure.toSeconds();
        Histogram latencies = new Histogram(3);
        AtomicLong failures = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        Map<String, String> headers = sequenceHeaders(credentials);
        String ids = newEventIds("f");
        BlockingQueue<Long> due = new LinkedBlockingQueue<>();
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            workers.add(senders.submit(() -> {
                try (HttpConnection connection = new HttpConnection(URI.create(arg("app")))) {
                    for (long at = due.take(); at >= 0; at = due.take()) {
                        byte[] body = sequenceEvent(ids + sent.getAndIncrement(), "customer-fixed")
                                .getBytes(StandardCharsets.UTF_8);
                        int status = send(connection, "/api/usage-events", headers, body);
                        long took = System.nanoTime() - at;
                        synchronized (latencies) {
                            latencies.recordValue(took);
                        }
                        if (status == 201) {
                            acknowledged.incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        long begin = System.nanoTime();
        Cpu from = cpu();
        try {
            for (long i = 0; i < total; i++) {
                long at = begin + i * interval;
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                due.put(at);
            }
            for (int c = 0; c < connections; c++) {
                due.put(-1L);
            }
            for (Future<?> worker : workers) {
                worker.get(2, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }
        window = cpu().minus(from);
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new Load(total / seconds, latencies, failures.get());
    }

    /**
     * {@code streams} bidirectional streams, each sending batches of {@code size} events and keeping at most
     * {@code window} batches unacknowledged; counts the events of the acknowledged (committed) batches.
     */
    private Load grpcStream(Credentials credentials, int streams, int size, int window) throws Exception {
        URI app = URI.create(arg("app"));
        String ids = newEventIds("g");
        ManagedChannel channel = NettyChannelBuilder.forAddress(app.getHost(), app.getPort()).usePlaintext()
                .flowControlWindow(8 * 1024 * 1024).build();
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), credentials.basic());
        UsageEventsServiceGrpc.UsageEventsServiceStub stub = UsageEventsServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
        try {
            return new Load(timed(streams, (worker, count, until) -> {
                Semaphore unacked = new Semaphore(window);
                CompletableFuture<Void> done = new CompletableFuture<>();
                StreamObserver<StreamEventsRequest> requests = stub.streamEvents(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamEventsResponse ack) {
                        count.addAndGet(ack.getResultsCount());
                        acknowledged.addAndGet(ack.getResultsCount());
                        unacked.release();
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                        unacked.release(window);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
                long batchNo = 0;
                while (System.nanoTime() < until.get() && !done.isDone()) {
                    if (!unacked.tryAcquire(1, TimeUnit.SECONDS)) {
                        continue;
                    }
                    StreamEventsRequest.Builder batch = StreamEventsRequest.newBuilder()
                            .setBatchId(worker + "-" + batchNo);
                    for (int i = 0; i < size; i++) {
                        batch.addEvents(EventInput.newBuilder().setCustomerId("customer-" + worker)
                                .setEventId(ids + worker + "-" + batchNo + "-" + i)
                                .setEventName("api-call")
                                .setProperties(Struct.newBuilder().putFields("key",
                                        Value.newBuilder().setStringValue("value").build())));
                    }
                    batchNo++;
                    requests.onNext(batch.build());
                }
                requests.onCompleted();
                done.get(2, TimeUnit.MINUTES);
            }), new Histogram(3), 0);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * CPU seconds used so far: the service's, PostgreSQL's, and every core's busy time (any process, the kernel);
     * and the WAL PostgreSQL has written so far, in bytes and in full-page images.
     */
    private record Cpu(double service, double postgres, double machine, long walBytes, long walPages, long nanos) {
        Cpu minus(Cpu earlier) {
            return new Cpu(service - earlier.service, postgres - earlier.postgres, machine - earlier.machine,
                    walBytes - earlier.walBytes, walPages - earlier.walPages, nanos - earlier.nanos);
        }

        double seconds() {
            return nanos / 1e9;
        }
    }

    /**
     * The CPU used so far, from /proc: the service's JVM (all its threads), PostgreSQL
     * ({@link ProcCpu#postgresTicks}) and every core; and the WAL so far (pg_stat_wal).
     */
    private Cpu cpu() throws IOException, SQLException {
        long walBytes;
        long walPages;
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select pg_backend_pid(), wal_bytes, wal_fpi from pg_stat_wal")) {
            r.next();
            if (postmaster == 0) {
                postmaster = ProcCpu.parent(r.getLong(1));
            }
            walBytes = r.getLong(2);
            walPages = r.getLong(3);
        }
        long postgres = ProcCpu.postgresTicks(postmaster);
        long service = ProcCpu.processTicks(Long.parseLong(arg("app-pid")));
        return new Cpu(service / ProcCpu.TICKS, postgres / ProcCpu.TICKS, ProcCpu.machineBusyTicks() / ProcCpu.TICKS,
                walBytes, walPages, System.nanoTime());
    }

    /**
     * The CPU per event (or row) of the last measured seconds at {@code perSecond}: the service's, PostgreSQL's, and
     * every process's with the kernel's (the load client's included), with how busy the cores were; and the WAL
     * PostgreSQL wrote per event, with the full-page images among it (a page's first change after a checkpoint).
     */
    private String cpuPerEvent(double perSecond, boolean service) {
        double events = perSecond * window.seconds();
        String postgres = String.format(Locale.ROOT, "PostgreSQL %.0f µs", window.postgres() / events * 1e6);
        String machine = String.format(Locale.ROOT, ", all processes %.0f µs (cores %.0f%% busy)",
                window.machine() / events * 1e6, 100 * window.machine() / (window.seconds() * CORES));
        String wal = String.format(Locale.ROOT, "; WAL per event: %,.0f bytes, %.2f full-page images",
                window.walBytes() / events, window.walPages() / events);
        return "CPU per event: " + (service ? String.format(Locale.ROOT, "service %.0f µs, ",
                window.service() / events * 1e6) : "") + postgres + machine + wal;
    }

    private static long peakRssKb(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmHWM for pid " + pid);
    }

    // ---------------------------------------------------------------- full store

    /**
     * What the events of a full-store measurement look like: random UUIDv4 event ids (or time-ordered UUIDv7 ones,
     * as some clients send), current timestamps (live traffic, or a backfill spread over 13 months), 20,000
     * customers. With {@code meterEvents} (measurement 9f), the events the meters of (9) count: {@code api-request}
     * with their properties, 10,000 customers.
     */
    private record Traffic(String name, boolean orderedIds, boolean backfill, boolean meterEvents) {
        Traffic(String name, boolean orderedIds, boolean backfill) {
            this(name, orderedIds, backfill, false);
        }

        String sequenceEventName() {
            return meterEvents ? METER_EVENT_NAME : "message-sent";
        }

        String sequenceProperties() {
            return meterEvents ? meterProperties() : "{\"length\":500,\"type\":\"text_message\"}";
        }

        String mantleEventName() {
            return meterEvents ? METER_EVENT_NAME : "api-call";
        }

        String mantleProperties() {
            return meterEvents ? meterProperties() : "{\"key\":\"value\"}";
        }

        /** The properties of the loader's {@code api-request} events (see {@link #loadMeterEvents}). */
        private static String meterProperties() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return "{\"tokens\":" + (1 + random.nextInt(1000)) + ",\"user\":\"user-" + random.nextInt(2000)
                    + "\",\"seats\":" + (1 + random.nextInt(50)) + ",\"latency_ms\":" + random.nextInt(20_000) / 10.0
                    + "}";
        }

        String eventId() {
            return orderedIds ? uuidV7(System.currentTimeMillis()).toString() : UUID.randomUUID().toString();
        }

        Instant timestamp() {
            Instant now = Instant.now();
            return backfill ? now.minusMillis(ThreadLocalRandom.current().nextLong(THIRTEEN_MONTHS.toMillis())) : now;
        }

        String customer() {
            return meterEvents ? "customer-" + (1 + ThreadLocalRandom.current().nextInt(10_000))
                    : "customer-" + ThreadLocalRandom.current().nextInt(20_000);
        }
    }

    private static final Duration THIRTEEN_MONTHS = Duration.ofDays(395);
    private static final List<Traffic> FULL_STORE_TRAFFIC = List.of(
            new Traffic("random UUIDv4 ids, current timestamps", false, false),
            new Traffic("ordered UUIDv7 ids, current timestamps", true, false),
            new Traffic("random UUIDv4 ids, timestamps over 13 months", false, true));

    /** A UUIDv7: 48 bits of milliseconds, then random bits (version 7, variant 2). */
    static UUID uuidV7(long millis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    /**
     * The ingest measurements on an empty store, then on a store of {@code events} events of the bench's account
     * (loaded by {@link #loadStore}), each traffic pattern on both; prints the ratio full / empty of each.
     */
    private void fullStore(Credentials credentials, long events) throws Exception {
        makeMonthlyPartitions();
        Map<String, Double> empty = new LinkedHashMap<>();
        for (Traffic traffic : FULL_STORE_TRAFFIC) {
            empty.put("M " + traffic.name(), onEmptyTable(credentials,
                    () -> mantleBulk(credentials, 4, 500, traffic)).perSecond());
            empty.put("S " + traffic.name(), onEmptyTable(credentials,
                    () -> sequenceSingle(credentials, 64, traffic)).perSecond());
        }
        countStored(credentials);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("truncate usage_events, usage_event_keys");
        }
        loadStore(credentials.accountId(), events);
        for (Traffic traffic : FULL_STORE_TRAFFIC) {
            double mantle = mantleBulk(credentials, 4, 500, traffic).perSecond();
            double base = empty.get("M " + traffic.name());
            row("F", "Mantle events[500] x4, " + traffic.name() + ": empty " + Math.round(base) + ", full",
                    mantle, "events/s", ratio(mantle, base, 0.8) + " full/empty", "");
            double sequence = sequenceSingle(credentials, 64, traffic).perSecond();
            base = empty.get("S " + traffic.name());
            row("F", "Sequence single x64 (Java), " + traffic.name() + ": empty " + Math.round(base) + ", full",
                    sequence, "events/s", ratio(sequence, base, 0.8) + " full/empty", "");
        }
    }

    /** The monthly partitions of the last 13 months (the service makes the current one and those ahead). */
    private void makeMonthlyPartitions() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("""
                    do $$
                    declare m timestamp := date_trunc('month', now() at time zone 'UTC') - interval '13 months';
                    begin
                      while m < date_trunc('month', now() at time zone 'UTC') loop
                        if to_regclass('usage_events_' || to_char(m, 'YYYY_MM')) is null then
                          execute format('create table %I partition of usage_events for values from (%L) to (%L)',
                            'usage_events_' || to_char(m, 'YYYY_MM'), to_char(m, 'YYYY-MM-DD') || ' 00:00:00+00',
                            to_char(m + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
                        end if;
                        m := m + interval '1 month';
                      end loop;
                    end $$""");
        }
    }

    /**
     * Loads {@code events} events of one account straight into the partitioned layout with SQL (the service would
     * take hours): spread over 13 months, 20,000 customers, five event names; 90% of the event ids random UUIDv4,
     * 10% UUIDv7 of their timestamp; row ids UUIDv7 of the receipt time, as the service makes them; each key claimed
     * in usage_event_keys. In chunks of 500,000, one transaction each, then VACUUM (ANALYZE) and a CHECKPOINT. As a
     * restore does, the load goes in without the indexes of usage_events and usage_event_keys, which are built
     * again after it (the same definitions, primary keys included): inserted row by row, into trees outgrowing the
     * memory, the load slowed from 50 s to over 120 s per 500,000 events by 14 million (2 cores, fsync on), and 30
     * million took hours.
     */
    private void loadStore(UUID account, long events) throws SQLException {
        long started = System.nanoTime();
        String sql = """
                with rows as materialized (
                  select uuid_v7(ts + interval '2 seconds', g) as id, ts, ts + interval '2 seconds' as received,
                         case when g % 10 = 0 then uuid_v7(ts)::text else gen_random_uuid()::text end as event_id,
                         'customer-' || (random() * 19999)::int as customer_id,
                         (array['api-call', 'message-sent', 'login', 'export', 'sync'])[1 + g % 5] as event_name
                  from (select g, now() - random() * interval '395 days' as ts from generate_series(?, ?) g) s),
                claimed as (
                  insert into usage_event_keys (account_id, event_id, current_id, event_ts)
                  select ?, event_id, id, ts from rows)
                insert into usage_events (id, account_id, customer_id, event_id, event_name, event_ts, properties,
                                          source, received_at)
                select id, ?, customer_id, event_id, event_name, ts, '{"key": "value", "length": 500}', 'MANTLE',
                       received
                from rows""";
        try (Connection c = connect(); Statement s = c.createStatement()) {
            createUuidV7Function(s);
            List<String> indexes = dropStoreIndexes(s);
            c.setAutoCommit(false);
            try (PreparedStatement load = c.prepareStatement(sql)) {
                for (long from = 1; from <= events; from += 500_000) {
                    load.setLong(1, from);
                    load.setLong(2, Math.min(events, from + 499_999));
                    load.setObject(3, account);
                    load.setObject(4, account);
                    load.executeUpdate();
                    c.commit();
                    System.out.printf(Locale.ROOT, "loaded %,d of %,d events (%.0f s)%n",
                            Math.min(events, from + 499_999), events, (System.nanoTime() - started) / 1e9);
                }
            }
            c.setAutoCommit(true);
            rebuildStoreIndexes(s, indexes);
        }
        stored -= events;
        System.out.printf(Locale.ROOT, "full store: %,d events loaded in %.0f s%n", events,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Drops the primary keys and indexes of usage_events (on the partitioned table, so on every partition) and of
     * usage_event_keys; returns the statements that make them again as they were.
     */
    private static List<String> dropStoreIndexes(Statement s) throws SQLException {
        List<String> drops = new ArrayList<>();
        List<String> builds = new ArrayList<>();
        try (ResultSet r = s.executeQuery("""
                select conrelid::regclass::text, conname, pg_get_constraintdef(oid) from pg_constraint
                where contype in ('p', 'u') and conrelid in ('usage_events'::regclass, 'usage_event_keys'::regclass)""")) {
            while (r.next()) {
                drops.add("alter table " + r.getString(1) + " drop constraint " + r.getString(2));
                builds.add("alter table " + r.getString(1) + " add constraint " + r.getString(2) + " " + r.getString(3));
            }
        }
        try (ResultSet r = s.executeQuery("""
                select indexname, indexdef from pg_indexes
                where schemaname = current_schema() and tablename in ('usage_events', 'usage_event_keys')
                  and indexname not in (select conname from pg_constraint where contype in ('p', 'u'))""")) {
            while (r.next()) {
                drops.add("drop index " + r.getString(1));
                // "ON ONLY" would make the partitioned index alone, without the partitions' own
                builds.add(r.getString(2).replace(" ON ONLY ", " ON "));
            }
        }
        for (String drop : drops) {
            s.execute(drop);
        }
        return builds;
    }

    /**
     * Makes the indexes {@link #dropStoreIndexes} dropped, then lets the store settle as one in service has:
     * vacuumed (else autovacuum reads and writes every page of it during the measurements), analyzed, and
     * checkpointed (else the load's dirty pages are flushed then).
     */
    private static void rebuildStoreIndexes(Statement s, List<String> indexes) throws SQLException {
        s.execute("set maintenance_work_mem = '1GB'");
        for (String index : indexes) {
            long building = System.nanoTime();
            s.execute(index);
            System.out.printf(Locale.ROOT, "built in %.0f s: %s%n", (System.nanoTime() - building) / 1e9, index);
        }
        long settling = System.nanoTime();
        s.execute("vacuum (analyze) usage_events");
        s.execute("vacuum (analyze) usage_event_keys");
        s.execute("checkpoint");
        System.out.printf(Locale.ROOT, "vacuumed, analyzed and checkpointed in %.0f s%n",
                (System.nanoTime() - settling) / 1e9);
    }

    /** {@code uuid_v7(ts, salt)}: a UUIDv7 of {@code ts} in SQL, as the service makes its row ids. */
    private static void createUuidV7Function(Statement s) throws SQLException {
        s.execute("""
                create or replace function uuid_v7(ts timestamptz, salt bigint default 0) returns uuid
                language sql volatile as $$
                  select (lpad(to_hex((extract(epoch from ts) * 1000)::bigint), 12, '0') || '7'
                          || substr(md5(random()::text || salt), 1, 3) || '8'
                          || substr(md5(random()::text || salt), 1, 15))::uuid $$""");
    }

    // ---------------------------------------------------------------- meters at scale (9)

    /** The event name the meters of (9) count; its events carry the properties they read. */
    static final String METER_EVENT_NAME = "api-request";
    /** The largest customer of (9): a tenth of the loaded events in the previous calendar month (UTC). */
    private static final String LARGEST_CUSTOMER = "customer-1";
    /**
     * No event of (9) lies within this much of the rolling edges of Mantle's {@code GET /v1/customer} as they are
     * at the load (24 hours, 7, 30, 90 and 365 days back), nor in the last this-much before the load: its values
     * stay the same for this long after the load, so that the two instances' answers can be compared exactly.
     */
    private static final Duration STILL = Duration.ofHours(6);
    /** (9)'s meters: Sequence aggregation type and property, keyed by the aggregation. */
    private static final Map<String, String> METER_PROPERTIES = new LinkedHashMap<>();

    static {
        METER_PROPERTIES.put("COUNT", null);
        METER_PROPERTIES.put("SUM", "tokens");
        METER_PROPERTIES.put("UNIQUE", "user");
        METER_PROPERTIES.put("MAX", "latency_ms");
        METER_PROPERTIES.put("LATEST", "seats");
    }

    /** JSON read with its decimals exact: answers compared in (9) must have equal values, not close ones. */
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** {@code [from, to)}. */
    private record Span(Instant from, Instant to) {
        long micros() {
            return ChronoUnit.MICROS.between(from, to);
        }
    }

    /** What (9) loaded: the load's instant, the largest customer's month {@code [monthStart, monthEnd)}. */
    private record MeterData(Instant loadedAt, Instant monthStart, Instant monthEnd, int months, int customers,
            long monthCustomers) {
    }

    /** The timings of one question to one instance, and its answer (the same at every call). */
    private record Calls(JsonNode answer, String body, double p50, double p99, int count, int warmedUp,
            boolean jitQuiet) {
    }

    /**
     * (9) Meters at scale (issue 16), on two instances of the service on the same database: {@code --app}, which
     * pre-aggregates, and {@code --app-raw}, which computes every answer on read (run.sh starts it with
     * {@code USAGE_METERS_ROLLUPS_ENABLED=false}). {@link #loadMeterEvents} loads {@code --meter-events} events
     * into a new account; then 5 meters are defined on it (COUNT, SUM {@code tokens}, UNIQUE {@code user}, MAX
     * {@code latency_ms}, LATEST {@code seats}, all of {@code api-request}), its largest customer is identified
     * through Mantle, and the pre-aggregates are awaited ({@code meter_months} rows: one per meter and month, or
     * no growth for {@code --rollup-idle} seconds, default 600; no such table: "not built"). Each question is then
     * asked of the raw instance ({@code --raw-warmup} unmeasured calls, default 1, then {@code --raw-calls},
     * default 5) and of the pre-aggregating one (at least 10 unmeasured calls, for at least
     * {@code --meter-warmup-seconds}, default 15, and until its JIT is quiet ({@link #calls}), then
     * {@code --meter-calls}, default 100); every answer must equal
     * the raw instance's first answer to the same question, or the bench fails. Last (9f), the ingest rate of an
     * account with the 5 meters against one without.
     */
    private void metersAtScale(Credentials main, boolean warmedUp) throws Exception {
        long events = Long.parseLong(arg("meter-events"));
        int customers = Integer.parseInt(args.getOrDefault("meter-customers",
                Long.toString(Math.max(100, Math.min(10_000, events / 300)))));
        String on = arg("app");
        String raw = arg("app-raw");
        boolean kept = args.containsKey("keep-store");
        Credentials account = kept ? main : createAccount();
        MeterData data = kept ? keptMeterData(account.accountId()) : loadMeterEvents(account.accountId(), events,
                customers);
        long defined = System.nanoTime();
        Map<String, String> meters = kept ? keptMeters(account.accountId()) : Map.of();
        if (meters.size() != METER_PROPERTIES.size()) {
            meters = defineMeters(account);
        }
        String token = identify(account, LARGEST_CUSTOMER);
        awaitPreAggregates(account.accountId(), meters.size() * data.months(), defined);

        LocalDate first = LocalDate.ofInstant(data.monthStart(), ZoneOffset.UTC);
        LocalDate last = first.plusMonths(1).minusDays(1);
        String month = first.toString().substring(0, 7);
        Map<String, String> sequence = Map.of("Authorization", account.basic());
        String calculate = "/calculate?customerAliases=" + LARGEST_CUSTOMER + "&periodStart=" + first
                + "&periodEnd=" + last;
        for (String aggregation : List.of("COUNT", "SUM", "MAX", "LATEST")) {
            question("9a", "Sequence calculate, " + aggregation + ", the largest customer's month " + month
                    + " (UTC)", on, raw, "/api/usage-metrics/" + meters.get(aggregation) + calculate, sequence, 20);
        }
        String usage = "/api/usage-metrics/" + meters.get("SUM") + "/usage?from=" + first + "&to="
                + first.plusMonths(1);
        question("9b", "Sequence /usage, SUM, the same month in daily windows of Europe/Berlin", on, raw,
                usage + "&windowSize=DAY&timeZone=Europe/Berlin&customerAliases=" + LARGEST_CUSTOMER, sequence, 30);
        question("9c", "Sequence calculate, UNIQUE (exact), the same month", on, raw,
                "/api/usage-metrics/" + meters.get("UNIQUE") + calculate, sequence, 200);
        question("9d", "Sequence /usage, SUM, month " + month + " grouped by customer, all " + data.monthCustomers()
                + " customers with events that month (of " + data.customers() + ")", on, raw,
                usage + "&groupBy=customerAlias", sequence, 1000);
        question("9e", "Mantle GET /v1/customer (customer token) of the largest customer: 7 values x 5 meters", on,
                raw, "/v1/customer", Map.of("X-Mantle-App-Id", account.appId(), "X-Mantle-Customer-Api-Token",
                        token), 50);
        if (Instant.now().isAfter(data.loadedAt().plus(STILL))) {
            System.out.println("note: more than " + STILL.toHours() + " h since the load: Mantle's rolling windows"
                    + " may now reach the loaded events' times, and answers taken at different instants differ");
        }
        if (wantedOf9("9f")) {
            ingestWithMeters(warmedUp);
        }
    }

    /**
     * Loads {@code events} events of one account straight into the partitioned layout with SQL, in chunks of
     * 500,000 (one transaction each), each key claimed in usage_event_keys, without the indexes (built after, as a
     * restore does), then VACUUM (ANALYZE) and a CHECKPOINT:
     * <ul>
     * <li>times over 13 calendar months (UTC): the 12 before the current one and the current one up to the load;
     * none within {@link #STILL} of Mantle's rolling edges at the load, nor in the last {@link #STILL};</li>
     * <li>a tenth of the events (2,000,000 of 20,000,000) are the largest customer's ({@code customer-1}), all in
     * the previous calendar month; the others go to {@code customers} customers ({@code customer-1} ..
     * {@code customer-N}) by a Zipf-like law, rank {@code floor((N + 1)^u)} for a uniform u (customer-1 7.5%,
     * customer-2 4.4%, ... customer-10000 0.001% at N = 10,000), customer-1's outside that month;</li>
     * <li>4 of 5 events are {@code api-request} with the properties the meters read: {@code tokens} 1..1000,
     * {@code user} one of {@code user-0} .. {@code user-2000}, {@code seats} 1..50, {@code latency_ms} 0.0..2000.0
     * (one decimal); the others are {@code message-sent}, {@code login}, {@code export}, {@code sync};</li>
     * <li>event ids random UUIDv4, one in ten a UUIDv7 of its time; row ids UUIDv7 of the receipt (2 s later).</li>
     * </ul>
     */
    private MeterData loadMeterEvents(UUID account, long events, int customers) throws SQLException {
        makeMonthlyPartitions();
        long started = System.nanoTime();
        Instant loadedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ZonedDateTime current = LocalDate.ofInstant(loadedAt, ZoneOffset.UTC).withDayOfMonth(1)
                .atStartOfDay(ZoneOffset.UTC);
        Instant monthStart = current.minusMonths(1).toInstant();
        Instant monthEnd = current.toInstant();
        List<Span> edges = new ArrayList<>();
        for (int days : List.of(1, 7, 30, 90, 365)) {
            Instant edge = loadedAt.minus(Duration.ofDays(days));
            edges.add(new Span(edge.minus(STILL), edge.plus(STILL)));
        }
        List<Span> all = minus(List.of(new Span(current.minusMonths(12).toInstant(), loadedAt.minus(STILL))),
                edges);
        List<Span> largestMonth = minus(List.of(new Span(monthStart, monthEnd)), edges);
        List<Span> largestElse = minus(all, List.of(new Span(monthStart, monthEnd)));
        long largest = events / 10;
        String sql = """
                with drawn as materialized (
                  select g, random() as u,
                         case when g <= %1$d then 1 else least(%2$d, floor(power(%2$d + 1, random())))::int end as c
                  from generate_series(?, ?) g),
                rows as materialized (
                  select uuid_v7(ts + interval '2 seconds', g) as id, ts, ts + interval '2 seconds' as received,
                         case when g %% 10 = 0 then uuid_v7(ts)::text else gen_random_uuid()::text end as event_id,
                         'customer-' || c as customer_id,
                         case when g %% 5 = 0 then (array['message-sent', 'login', 'export', 'sync'])[1 + (g / 5) %% 4]
                              else 'api-request' end as event_name
                  from (select g, c, case when g <= %1$d then %3$s when c = 1 then %4$s else %5$s end as ts
                        from drawn) t),
                claimed as (
                  insert into usage_event_keys (account_id, event_id, current_id, event_ts)
                  select ?, event_id, id, ts from rows)
                insert into usage_events (id, account_id, customer_id, event_id, event_name, event_ts, properties,
                                          source, received_at)
                select id, ?, customer_id, event_id, event_name, ts,
                       case when event_name = 'api-request' then jsonb_build_object(
                              'tokens', 1 + (random() * 999)::int, 'user', 'user-' || (random() * 2000)::int,
                              'seats', 1 + (random() * 49)::int, 'latency_ms', round((random() * 2000)::numeric, 1))
                            else '{"key": "value", "length": 500}' end,
                       'SEQUENCE', received
                from rows""".formatted(largest, customers, pick(largestMonth, "u"), pick(largestElse, "u"),
                pick(all, "u"));
        System.out.printf(Locale.ROOT, "(9) loading %,d events of %,d customers into account %s (largest: %s, "
                + "%,d events in %s), times up to %s%n", events, customers, account, LARGEST_CUSTOMER, largest,
                monthStart.toString().substring(0, 7), loadedAt.minus(STILL));
        int months = 0;
        long monthCustomers;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            createUuidV7Function(s);
            // as a restore does: the events first, the indexes after (row by row into indexes that outgrow the
            // buffers, 20 million events took 45 minutes; a store of random ids is as dense either way)
            List<String> indexes = dropStoreIndexes(s);
            c.setAutoCommit(false);
            try (PreparedStatement load = c.prepareStatement(sql)) {
                for (long from = 1; from <= events; from += 500_000) {
                    long to = Math.min(events, from + 499_999);
                    load.setLong(1, from);
                    load.setLong(2, to);
                    load.setObject(3, account);
                    load.setObject(4, account);
                    int inserted = load.executeUpdate();
                    if (inserted != to - from + 1) {
                        throw new IllegalStateException("the loader inserted " + inserted + " events, not "
                                + (to - from + 1));
                    }
                    c.commit();
                    System.out.printf(Locale.ROOT, "(9) loaded %,d of %,d events (%.0f s)%n", to, events,
                            (System.nanoTime() - started) / 1e9);
                }
            }
            c.setAutoCommit(true);
            rebuildStoreIndexes(s, indexes);
            try (PreparedStatement any = c.prepareStatement("select exists (select 1 from usage_events"
                    + " where account_id = ? and event_ts >= ? and event_ts < ?)")) {
                for (int m = 12; m >= 0; m--) {
                    any.setObject(1, account);
                    any.setObject(2, current.minusMonths(m).toOffsetDateTime());
                    any.setObject(3, current.minusMonths(m - 1).toOffsetDateTime());
                    try (ResultSet r = any.executeQuery()) {
                        r.next();
                        months += r.getBoolean(1) ? 1 : 0;
                    }
                }
            }
            try (PreparedStatement top = c.prepareStatement("select customer_id, count(*),"
                    + " count(*) filter (where event_name = ?), count(*) over ()"
                    + " from usage_events where account_id = ? and event_ts >= ? and event_ts < ?"
                    + " group by customer_id order by 2 desc limit 3")) {
                top.setString(1, METER_EVENT_NAME);
                top.setObject(2, account);
                top.setObject(3, monthStart.atOffset(ZoneOffset.UTC));
                top.setObject(4, monthEnd.atOffset(ZoneOffset.UTC));
                List<String> shown = new ArrayList<>();
                long count = 0;
                try (ResultSet r = top.executeQuery()) {
                    while (r.next()) {
                        if (shown.isEmpty() && (!r.getString(1).equals(LARGEST_CUSTOMER) || r.getLong(2) != largest)) {
                            throw new IllegalStateException("the largest customer of " + monthStart + " is "
                                    + r.getString(1) + " with " + r.getLong(2) + " events, not " + LARGEST_CUSTOMER
                                    + " with " + largest);
                        }
                        shown.add(String.format(Locale.ROOT, "%s %,d (%,d %s)", r.getString(1), r.getLong(2),
                                r.getLong(3), METER_EVENT_NAME));
                        count = r.getLong(4);
                    }
                }
                monthCustomers = count;
                System.out.printf(Locale.ROOT, "(9) month %s: %,d customers with events; the largest: %s%n",
                        monthStart.toString().substring(0, 7), count, String.join(", ", shown));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        row("9", String.format(Locale.ROOT, "loaded with SQL: %,d events, %,d customers, %d months, the largest"
                + " customer %,d events in one month", events, customers, months, largest), seconds, "s", "", "");
        return new MeterData(loadedAt, monthStart, monthEnd, months, customers, monthCustomers);
    }

    /**
     * With {@code --keep-store}: the store an earlier run of (9) loaded (the kept database's largest account) as
     * {@link #loadMeterEvents} describes it, read back from the events.
     */
    private MeterData keptMeterData(UUID account) throws SQLException {
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement("select max(event_ts),"
                + " count(distinct customer_id), count(distinct date_trunc('month', event_ts at time zone 'UTC'))"
                + " from usage_events where account_id = ?")) {
            q.setObject(1, account);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                Instant loadedAt = r.getObject(1, OffsetDateTime.class).toInstant().plus(STILL);
                ZonedDateTime current = LocalDate.ofInstant(loadedAt, ZoneOffset.UTC).withDayOfMonth(1)
                        .atStartOfDay(ZoneOffset.UTC);
                Instant monthStart = current.minusMonths(1).toInstant();
                long monthCustomers;
                try (PreparedStatement m = c.prepareStatement("select count(distinct customer_id) from usage_events"
                        + " where account_id = ? and event_ts >= ? and event_ts < ?")) {
                    m.setObject(1, account);
                    m.setObject(2, monthStart.atOffset(ZoneOffset.UTC));
                    m.setObject(3, current.toOffsetDateTime());
                    try (ResultSet n = m.executeQuery()) {
                        n.next();
                        monthCustomers = n.getLong(1);
                    }
                }
                System.out.printf(Locale.ROOT, "(9) kept store: account %s, loaded about %s (its last event + %d h),"
                        + " %d customers, %d months%n", account, loadedAt, STILL.toHours(), r.getInt(2), r.getInt(3));
                return new MeterData(loadedAt, monthStart, current.toInstant(), r.getInt(3), r.getInt(2),
                        monthCustomers);
            }
        }
    }

    /** With {@code --keep-store}: the live meters of (9) an earlier run defined, by aggregation. */
    private Map<String, String> keptMeters(UUID account) throws SQLException {
        Map<String, String> ids = new LinkedHashMap<>();
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement("select aggregation, id from meters"
                + " where account_id = ? and name like 'bench %' and deleted_at is null")) {
            q.setObject(1, account);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    ids.put(r.getString(1).equals("UNIQUE_COUNT") ? "UNIQUE" : r.getString(1), r.getString(2));
                }
            }
        }
        return ids;
    }

    /** {@code spans} less {@code holes}, in order. */
    private static List<Span> minus(List<Span> spans, List<Span> holes) {
        List<Span> out = new ArrayList<>(spans);
        for (Span hole : holes) {
            List<Span> next = new ArrayList<>();
            for (Span span : out) {
                if (!hole.to().isAfter(span.from()) || !hole.from().isBefore(span.to())) {
                    next.add(span);
                    continue;
                }
                if (hole.from().isAfter(span.from())) {
                    next.add(new Span(span.from(), hole.from()));
                }
                if (hole.to().isBefore(span.to())) {
                    next.add(new Span(hole.to(), span.to()));
                }
            }
            out = next;
        }
        out.sort(java.util.Comparator.comparing(Span::from));
        return out;
    }

    /**
     * An SQL expression of the instant at the fraction {@code u} (a column in [0, 1)) of the time the spans
     * cover, as if they were laid end to end: uniform over the spans when u is.
     */
    private static String pick(List<Span> spans, String u) {
        long total = spans.stream().mapToLong(Span::micros).sum();
        String x = "floor(" + u + " * " + total + ")";
        StringBuilder sql = new StringBuilder("case");
        long before = 0;
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            long after = before + span.micros();
            sql.append(i < spans.size() - 1 ? " when " + x + " < " + after + " then " : " else ")
                    .append("timestamptz '").append(span.from()).append("' + (").append(x).append(" - ")
                    .append(before).append(") * interval '1 microsecond'");
            before = after;
        }
        return sql.append(" end").toString();
    }

    /** The 5 meters of (9) on {@code account}, through the Sequence API: their ids by aggregation. */
    private Map<String, String> defineMeters(Credentials account) throws IOException, InterruptedException {
        Map<String, String> ids = new LinkedHashMap<>();
        for (Map.Entry<String, String> meter : METER_PROPERTIES.entrySet()) {
            String name = "bench " + meter.getKey().toLowerCase(Locale.ROOT)
                    + (meter.getValue() == null ? "" : " " + meter.getValue());
            String body = "{\"name\":\"" + name + "\",\"metricType\":\"SIMPLE\",\"eventType\":\"" + METER_EVENT_NAME
                    + "\",\"aggregationType\":\"" + meter.getKey() + "\""
                    + (meter.getValue() == null ? "" : ",\"aggregationProperty\":\"" + meter.getValue() + "\"") + "}";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(arg("app")
                    + "/api/usage-metrics")).header("Authorization", account.basic())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("POST /api/usage-metrics " + body + " answered "
                        + created.statusCode() + " " + created.body());
            }
            ids.put(meter.getKey(), JSON.readTree(created.body()).get("id").asText());
        }
        return ids;
    }

    /** Identifies {@code customer} through Mantle ({@code POST /v1/identify}, platformId): its API token. */
    private String identify(Credentials account, String customer) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(arg("app") + "/v1/identify"))
                .header("X-Mantle-App-Id", account.appId()).header("X-Mantle-App-Api-Key", account.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"platform\":\"shopify\",\"platformId\":\"" + customer
                        + "\",\"myshopifyDomain\":\"" + customer + ".myshopify.com\","
                        + "\"name\":\"the largest customer\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("POST /v1/identify answered " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body()).get("apiToken").asText();
    }

    /**
     * Waits until {@code meter_months} holds {@code expected} rows of the account (one per meter and month
     * holding events), or has not grown for {@code --rollup-idle} seconds (default 600: a month of the largest
     * customer can take minutes); prints how long since {@code since} (when the meters were defined, or with
     * {@code --keep-store} this run began to wait). Without the table: "not built".
     */
    private void awaitPreAggregates(UUID account, int expected, long since) throws Exception {
        long idle = TimeUnit.SECONDS.toNanos(Long.parseLong(args.getOrDefault("rollup-idle", "600")));
        String what = "pre-aggregates built (meter_months rows, " + expected + " expected: 5 meters x months)";
        try (Connection c = connect(); PreparedStatement count = c.prepareStatement(
                "select count(*), max(built_at) from meter_months where account_id = ?")) {
            count.setObject(1, account);
            long last = -1;
            long changed = System.nanoTime();
            long printed = changed;
            while (true) {
                long rows;
                try (ResultSet r = count.executeQuery()) {
                    r.next();
                    rows = r.getLong(1);
                } catch (SQLException e) {
                    if (!"42P01".equals(e.getSQLState())) {
                        throw e;
                    }
                    System.out.println("(9) pre-aggregates: not built (no table meter_months); measuring anyway");
                    note("9", what, "not built (no table meter_months)");
                    return;
                }
                long now = System.nanoTime();
                if (rows != last) {
                    last = rows;
                    changed = now;
                }
                double seconds = (now - since) / 1e9;
                if (rows >= expected) {
                    row("9", what, seconds, "s", rows + " rows: all built", "");
                    return;
                }
                if (now - changed >= idle) {
                    double until = (changed - since) / 1e9;
                    row("9", what, until, "s", rows + " of " + expected + " rows (NOT all built): no growth in the "
                            + idle / 1_000_000_000 + " s after", "");
                    return;
                }
                if (now - printed >= TimeUnit.SECONDS.toNanos(10)) {
                    System.out.printf(Locale.ROOT, "(9) pre-aggregates: %d of %d rows after %.0f s%n", rows, expected,
                            seconds);
                    printed = now;
                }
                TimeUnit.SECONDS.sleep(1);
            }
        }
    }

    /** A row without a figure. */
    private void note(String n, String what, String result) {
        String row = "| " + n + " | " + what + " | " + result + " |  |  |";
        System.out.println(row);
        rows.add(row);
    }

    /**
     * One question of (9) to both instances: the raw one first (its first answer is the reference, and its
     * answers must agree), then the pre-aggregating one, whose every answer must equal the reference. Prints the
     * row: the p99 of the pre-aggregating instance, its ratio to the raw one's, the target.
     */
    private void question(String n, String what, String on, String raw, String path, Map<String, String> headers,
            double targetMs) throws Exception {
        if (!wantedOf9(n)) {
            return;
        }
        System.out.println("(" + n + ") " + what + ": GET " + path);
        Calls reference = calls(n + " raw", raw, path, headers,
                Integer.parseInt(args.getOrDefault("raw-warmup", "1")), Duration.ZERO, null,
                Integer.parseInt(args.getOrDefault("raw-calls", "5")), null);
        Calls fast = calls(n, on, path, headers, 10,
                Duration.ofSeconds(Long.parseLong(args.getOrDefault("meter-warmup-seconds", "15"))), arg("app-pid"),
                Integer.parseInt(args.getOrDefault("meter-calls", "100")), reference);
        JsonNode rowsOf = reference.answer().get("rows");
        row(n, what, fast.p99(), "ms p99", String.format(Locale.ROOT,
                "%.3fx of compute on read (p99 %,.1f ms); target <= %,.0f ms: %s", fast.p99() / reference.p99(),
                reference.p99(), targetMs, fast.p99() <= targetMs ? "met" : "NOT met"),
                String.format(Locale.ROOT, "p50 %,.1f ms over %d calls (after %d unmeasured, %s); raw p50 %,.1f ms"
                        + " over %d; %s equal", fast.p50(), fast.count(), fast.warmedUp(),
                        fast.jitQuiet() ? "its JIT quiet" : "its JIT NOT quiet yet", reference.p50(),
                        reference.count(),
                        rowsOf == null ? "answers" : "answers (" + rowsOf.size() + " rows)"));
    }

    /**
     * Unmeasured calls of {@code path}, at least {@code warm} and for at least {@code warmFor}, and, with the
     * service's {@code pid}, until its JIT compilers were quiet for {@link #JIT_WINDOW} (at most
     * {@link #JIT_WAIT_LIMIT} more): the JIT compiles the path meanwhile (9a's p99 on a fresh service fell from 28
     * to 16 ms after 500 calls, by curl; 9e's compilers still took 4 ms of CPU per call after 1,200 calls, 0.4 ms
     * after 2,100). Then {@code measured} ones: their p50 and p99 (nearest rank). Every answer must be 200 and
     * equal {@code reference}'s, or the first one when it is null.
     */
    private Calls calls(String label, String base, String path, Map<String, String> headers, int warm,
            Duration warmFor, String pid, int measured, Calls reference) throws Exception {
        List<Double> millis = new ArrayList<>();
        JsonNode expected = reference == null ? null : reference.answer();
        String expectedBody = reference == null ? null : reference.body();
        long warmUntil = System.nanoTime() + warmFor.toNanos();
        long jitGivenUp = warmUntil + JIT_WAIT_LIMIT.toNanos();
        boolean jitQuiet = pid == null;
        long windowStart = System.nanoTime();
        long windowTicks = jitQuiet ? 0 : compilerTicks(pid);
        int unmeasured = 0;
        boolean measuring = false;
        while (millis.size() < measured) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofMinutes(30)).GET();
            headers.forEach(request::header);
            long started = System.nanoTime();
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            double elapsed = (System.nanoTime() - started) / 1e6;
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("(" + label + ") GET " + base + path + " answered "
                        + answer.statusCode() + " " + answer.body());
            }
            if (expected == null) {
                expected = EXACT.readTree(answer.body());
                expectedBody = answer.body();
            } else if (!answer.body().equals(expectedBody)) {
                JsonNode got = EXACT.readTree(answer.body());
                if (!got.equals(expected)) {
                    throw new IllegalStateException("MISMATCH (" + label + ") GET " + base + path + ", call "
                            + (unmeasured + millis.size() + 1) + ": " + (reference == null
                                    ? "the compute-on-read instance answered differently to the same question"
                                    : "the answer differs from the compute-on-read instance's")
                            + "; first difference at " + difference(expected, got, "") + "\nexpected: "
                            + shorten(expectedBody) + "\ngot:      " + shorten(answer.body()));
                }
            }
            long now = System.nanoTime();
            if (!jitQuiet && now - windowStart >= JIT_WINDOW.toNanos()) {
                long ticks = compilerTicks(pid);
                jitQuiet = ticks - windowTicks <= JIT_QUIET_TICKS;
                windowStart = now;
                windowTicks = ticks;
            }
            measuring = measuring || (unmeasured >= warm && now >= warmUntil && (jitQuiet || now >= jitGivenUp));
            if (measuring) {
                millis.add(elapsed);
            } else {
                unmeasured++;
            }
        }
        millis.sort(Double::compare);
        return new Calls(expected, expectedBody, percentile(millis, 50), percentile(millis, 99), millis.size(),
                unmeasured, jitQuiet);
    }

    /** The JIT counts as quiet when its compiler threads used at most this many ticks (1%) in this long. */
    private static final Duration JIT_WINDOW = Duration.ofSeconds(5);
    private static final long JIT_QUIET_TICKS = 5;
    private static final Duration JIT_WAIT_LIMIT = Duration.ofSeconds(120);

    /**
     * CPU time, in clock ticks ({@link ProcCpu#TICKS}), of the JIT compiler threads ("C1/C2 CompilerThre…") of a
     * JVM.
     */
    private static long compilerTicks(String pid) throws IOException {
        long compilers = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        String[] stat = ProcCpu.stat(task.resolve("stat"));
                        compilers += ProcCpu.ticks(stat, 11) + ProcCpu.ticks(stat, 12);
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return compilers;
    }

    /** Nearest rank. */
    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    private static String shorten(String body) {
        return body.length() <= 1500 ? body : body.substring(0, 1500) + "… (" + body.length() + " chars)";
    }

    /** Where two JSON trees first differ: the path, and both values there. */
    private static String difference(JsonNode expected, JsonNode got, String path) {
        if (expected.isObject() && got.isObject()) {
            for (java.util.Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!got.has(name)) {
                    return path + "/" + name + " (missing)";
                }
                if (!expected.get(name).equals(got.get(name))) {
                    return difference(expected.get(name), got.get(name), path + "/" + name);
                }
            }
            return path + " (more fields: " + got + ")";
        }
        if (expected.isArray() && got.isArray()) {
            for (int i = 0; i < Math.min(expected.size(), got.size()); i++) {
                if (!expected.get(i).equals(got.get(i))) {
                    return difference(expected.get(i), got.get(i), path + "/" + i);
                }
            }
            return path + " (" + expected.size() + " elements, got " + got.size() + ")";
        }
        return path + ": expected " + expected + ", got " + got;
    }

    /**
     * (9f) The ingest figures with the 5 meters defined against without: Mantle events[500] on 4 connections and
     * Sequence single events on 64, {@code api-request} events with the meters' properties (10,000 customers,
     * current times), into an account without meters (before and after: their mean) and one with (9)'s 5 meters.
     */
    private void ingestWithMeters(boolean warmedUp) throws Exception {
        if (!warmedUp) {
            warmUp(createAccount()); // own account: with --keep-store, the run's account is the store (9) asks about
        }
        Credentials without = createAccount();
        Credentials with = createAccount();
        defineMeters(with);
        Traffic traffic = new Traffic("api-request with the meters' properties", false, false, true);
        double before = mantleBulk(without, 4, 500, traffic).perSecond();
        Load metered = mantleBulk(with, 4, 500, traffic);
        double plain = (before + mantleBulk(without, 4, 500, traffic).perSecond()) / 2;
        row("9f", "Mantle events[500] x4, api-request: without meters " + Math.round(plain) + ", with 5 meters",
                metered.perSecond(), "events/s", ratio(metered.perSecond(), plain, 0.9) + " with/without",
                metered.latency());
        before = sequenceSingle(without, 64, traffic).perSecond();
        metered = sequenceSingle(with, 64, traffic);
        plain = (before + sequenceSingle(without, 64, traffic).perSecond()) / 2;
        row("9f", "Sequence single x64 (Java), api-request: without meters " + Math.round(plain)
                + ", with 5 meters", metered.perSecond(), "events/s", ratio(metered.perSecond(), plain, 0.9)
                + " with/without", metered.latency());
        countStored(without);
        countStored(with);
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface Worker {
        void run(int worker, AtomicLong count, AtomicLong until) throws Exception;
    }

    private double timed(int threads, Worker worker, Recorder... recorders) throws Exception {
        AtomicLong count = new AtomicLong();
        long start = System.nanoTime();
        AtomicLong until = new AtomicLong(start + warmup.toNanos() + measure.toNanos());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    worker.run(id, count, until);
                    return null;
                }));
            }
            TimeUnit.NANOSECONDS.sleep(warmup.toNanos());
            long measuredFrom = count.get();
            for (Recorder r : recorders) {
                r.reset();
            }
            long measureStart = System.nanoTime();
            Cpu from = cpu();
            TimeUnit.NANOSECONDS.sleep(measure.toNanos());
            long measured = count.get() - measuredFrom;
            window = cpu().minus(from);
            double seconds = (System.nanoTime() - measureStart) / 1e9;
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
            return measured / seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private record Load(double perSecond, long p50Nanos, long p99Nanos, long failures) {
        Load(double perSecond, Histogram latencies, long failures) {
            this(perSecond, latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(99), failures);
        }

        double p99Millis() {
            return p99Nanos / 1e6;
        }

        String latency() {
            return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms%s", p50Nanos / 1e6, p99Millis(),
                    failures == 0 ? "" : ", " + failures + " failed");
        }
    }

    private static String ratio(double value, double baseline, double target) {
        double r = value / baseline;
        return String.format(Locale.ROOT, "%.2fx (target >= %.1fx: %s)", r, target, r >= target ? "met" : "NOT met");
    }

    private void row(String n, String what, double value, String unit, String ratio, String latency) {
        String row = String.format(Locale.ROOT, value < 100 ? "| %s | %s | %,.1f %s | %s | %s |"
                : "| %s | %s | %,.0f %s | %s | %s |", n, what, value, unit, ratio, latency);
        System.out.println(row);
        rows.add(row);
    }

    private void print() {
        System.out.println();
        System.out.println("| # | measurement | result | ratio | latency |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }
}
