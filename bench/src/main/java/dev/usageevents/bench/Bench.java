package dev.usageevents.bench;

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
import java.util.ArrayList;
import java.util.Base64;
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
 * channels, and prints each figure with its ratio to the baseline it must be compared with.
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

    /**
     * The service is warmed up first: its JIT compiler needs about a minute of load on two shared cores, and
     * would otherwise be measured as the service. Then each service measurement is compared with its baseline
     * measured just before and just after it (their mean), so that a drift of the machine (the time its disk takes
     * to flush varies from minute to minute) affects both alike; and each starts, like its baseline, on an empty
     * table (indexes that outgrow PostgreSQL's shared buffers make every insert dearer, whoever inserts).
     */
    private void run() throws Exception {
        Credentials credentials = createAccount();
        Load cold = wanted("8") ? wrkSequence(credentials, 64, newEventIds("cold"), COLD) : null;
        if (wanted("2") || wanted("3") || wanted("4") || wanted("5") || cold != null) {
            warmUp(credentials);
        }
        if (wanted("2")) {
            double before = baseline("1a", "PostgreSQL single-row INSERT per transaction, 64 connections (pgbench)",
                    () -> pgbenchSingleInserts(64));
            Load sequence = onEmptyTable(credentials, () -> wrkSequenceSingle(credentials, 64));
            double single = (before + baseline("1a", "the same, after (2)", () -> pgbenchSingleInserts(64))) / 2;
            row("2", "Sequence POST /api/usage-events, 64 connections (wrk)", sequence.perSecond(), "events/s",
                    ratio(sequence.perSecond(), single, 2.0), sequence.latency());
        }
        if (wanted("3") || wanted("4")) {
            double before = baseline("1b", "PostgreSQL 500-row INSERT per transaction, 4 connections",
                    () -> baselineBatchInserts(4, 500));
            Load mantle = wanted("3") ? onEmptyTable(credentials, () -> mantleBulk(credentials, 4, 500)) : null;
            Load stream = wanted("4") ? onEmptyTable(credentials, () -> grpcStream(credentials, 2, 500, 4)) : null;
            double batch = (before + baseline("1b", "the same, after (3) and (4)",
                    () -> baselineBatchInserts(4, 500))) / 2;
            if (mantle != null) {
                row("3", "Mantle POST /v1/usage_events events[500], 4 connections", mantle.perSecond(),
                        "events/s", ratio(mantle.perSecond(), batch, 0.7), mantle.latency());
            }
            if (stream != null) {
                row("4", "gRPC StreamEvents, 2 streams, batches of 500, 4 unacked per stream", stream.perSecond(),
                        "events/s", ratio(stream.perSecond(), batch, 0.8), "");
            }
        }
        if (wanted("5")) {
            Load fixed = onEmptyTable(credentials, () -> sequenceFixedRate(credentials, 1000, 64));
            row("5", "Sequence single events at a fixed 1,000 req/s, 64 connections", fixed.perSecond(), "events/s",
                    fixed.p99Millis() <= 20 ? "p99 <= 20 ms: met" : "p99 <= 20 ms: NOT met", fixed.latency());
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
        if (args.containsKey("full-store")) {
            fullStore(credentials, Long.parseLong(args.get("full-store")));
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

    private double baseline(String n, String what, Measurement<Double> measurement) throws Exception {
        double rate = measurement.run();
        row(n, what, rate, "rows/s", "", "");
        return rate;
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

    /** A table of the same shape as usage_events (columns, partial unique index, list indexes), no FKs. */
    private void createBaselineTable() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_baseline");
            s.execute("create table bench_baseline (like usage_events including defaults including indexes"
                    + " including constraints)");
            // The rule the service keeps in usage_event_keys (one current event per account and event id), kept
            // here by the index that kept it before the partitioned layout: a baseline that does the same work.
            s.execute("create unique index on bench_baseline (account_id, event_id) where superseded_by is null");
        }
    }

    /**
     * (1a) with pgbench, PostgreSQL's own C client: single-row inserts, one transaction each, prepared, on
     * {@code connections} connections. Like (2)'s wrk, a client that costs the shared cores little per call, so
     * that both figures are the server's (a Java client's 64 blocking threads took a third of a core here, at
     * 8,500 calls/s). The values are parameters, as a driver sends them; the row id is {@code gen_random_uuid()}.
     */
    private double pgbenchSingleInserts(int connections) throws Exception {
        createBaselineTable();
        Path script = Files.createTempFile("bench-single-insert", ".sql");
        try {
            Files.writeString(script, """
                    \\set n random(1, 1000000000000000)
                    insert into bench_baseline (id, account_id, customer_id, event_id, event_name, event_ts,
                      properties, source, received_at)
                    values (gen_random_uuid(), '%s', 'customer-' || :client_id, 'single-' || :client_id || '-' || :n,
                      'message-sent', now(), '{"length": 500, "type": "text_message"}', 'SEQUENCE', now());
                    """.formatted(UUID.randomUUID()));
            URI db = URI.create(arg("jdbc-url").substring("jdbc:".length()));
            List<String> command = List.of("pgbench", "-n", "-M", "prepared", "-h", db.getHost(),
                    "-p", Integer.toString(db.getPort()), "-U", arg("db-user"), "-f", script.toString(),
                    "-c", Integer.toString(connections), "-j", Integer.toString(CORES), "-T", "%d",
                    db.getPath().substring(1));
            Map<String, String> env = Map.of("PGPASSWORD", args.getOrDefault("db-password", ""));
            tool(seconds(command, warmup), env);
            String out = tool(seconds(command, measure), env);
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

    private double baselineBatchInserts(int connections, int rows) throws Exception {
        createBaselineTable();
        String sql = "insert into bench_baseline (id, account_id, customer_id, event_id, event_name, event_ts,"
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
                        ids[i] = UUID.randomUUID();
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
        JsonNode account = JSON.readTree(response.body());
        String basic = "Basic " + Base64.getEncoder().encodeToString((account.at("/sequence/clientId").asText() + ":"
                + account.at("/sequence/clientSecret").asText()).getBytes(StandardCharsets.UTF_8));
        return new Credentials(UUID.fromString(account.get("id").asText()), basic,
                account.at("/mantle/appId").asText(), account.at("/mantle/apiKey").asText());
    }

    private static String sequenceEvent(String eventId, String customer) {
        return sequenceEvent(eventId, customer, Instant.now());
    }

    private static String sequenceEvent(String eventId, String customer, Instant timestamp) {
        return "{\"customerEventId\":\"" + eventId + "\",\"customerAlias\":\"" + customer + "\","
                + "\"eventType\":\"message-sent\",\"eventTimestamp\":\"" + timestamp + "\","
                + "\"eventProperties\":{\"length\":500,\"type\":\"text_message\"}}";
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
                            : sequenceEvent(traffic.eventId(), traffic.customer(), traffic.timestamp()))
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
        String out = tool(List.of("wrk", "-t" + CORES, "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "10s", "-s", arg("wrk-script"), arg("app"), "--", ids + duration.toSeconds() + "-",
                credentials.basic()), Map.of());
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
                                    .append("\",\"eventName\":\"api-call\",\"timestamp\":")
                                    .append(traffic.timestamp().toEpochMilli())
                                    .append(",\"properties\":{\"key\":\"value\"}}");
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
     * customers.
     */
    private record Traffic(String name, boolean orderedIds, boolean backfill) {
        String eventId() {
            return orderedIds ? uuidV7(System.currentTimeMillis()).toString() : UUID.randomUUID().toString();
        }

        Instant timestamp() {
            Instant now = Instant.now();
            return backfill ? now.minusMillis(ThreadLocalRandom.current().nextLong(THIRTEEN_MONTHS.toMillis())) : now;
        }

        String customer() {
            return "customer-" + ThreadLocalRandom.current().nextInt(20_000);
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
     * in usage_event_keys. In chunks of 500,000, one transaction each, then ANALYZE.
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
            s.execute("""
                    create or replace function uuid_v7(ts timestamptz, salt bigint default 0) returns uuid
                    language sql volatile as $$
                      select (lpad(to_hex((extract(epoch from ts) * 1000)::bigint), 12, '0') || '7'
                              || substr(md5(random()::text || salt), 1, 3) || '8'
                              || substr(md5(random()::text || salt), 1, 15))::uuid $$""");
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
            s.execute("analyze usage_events");
            s.execute("analyze usage_event_keys");
        }
        stored -= events;
        System.out.printf(Locale.ROOT, "full store: %,d events loaded in %.0f s%n", events,
                (System.nanoTime() - started) / 1e9);
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
            TimeUnit.NANOSECONDS.sleep(measure.toNanos());
            long measured = count.get() - measuredFrom;
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
        String row = String.format(Locale.ROOT, "| %s | %s | %,.0f %s | %s | %s |", n, what, value, unit, ratio,
                latency);
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
