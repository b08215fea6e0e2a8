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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Measures, in one run on one machine: raw PostgreSQL baselines on the events table's shape, then the service's
 * channels, and prints each figure with its ratio to the baseline it must be compared with.
 */
public final class Bench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> args;
    private final Duration measure;
    private final Duration warmup;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final List<String> rows = new ArrayList<>();

    private Bench(Map<String, String> args) {
        this.args = args;
        this.measure = Duration.ofSeconds(Long.parseLong(args.getOrDefault("seconds", "15")));
        this.warmup = Duration.ofSeconds(Long.parseLong(args.getOrDefault("warmup", "3")));
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

    private void run() throws Exception {
        double single = baselineSingleInserts(64);
        double batch = baselineBatchInserts(4, 500);
        row("1a", "PostgreSQL single-row INSERT per transaction, 64 connections", single, "rows/s", "", "");
        row("1b", "PostgreSQL 500-row INSERT per transaction, 4 connections", batch, "rows/s", "", "");

        Credentials credentials = createAccount();
        Load sequence = sequenceSingle(credentials, 64);
        row("2", "Sequence POST /api/usage-events, 64 connections", sequence.perSecond(), "events/s",
                ratio(sequence.perSecond(), single, 2.0), sequence.latency());
        Load mantle = mantleBulk(credentials, 4, 500);
        row("3", "Mantle POST /v1/usage_events events[500], 4 connections", mantle.perSecond(), "events/s",
                ratio(mantle.perSecond(), batch, 0.7), mantle.latency());
        double stream = grpcStream(credentials, 2, 500, 4);
        row("4", "gRPC StreamEvents, 2 streams, batches of 500, 4 unacked per stream", stream, "events/s",
                ratio(stream, batch, 0.8), "");
        Load fixed = sequenceFixedRate(credentials, 1000);
        row("5", "Sequence single events at a fixed 1,000 req/s", fixed.perSecond(), "events/s",
                fixed.p99Millis() <= 20 ? "p99 <= 20 ms: met" : "p99 <= 20 ms: NOT met", fixed.latency());
        long rssKb = peakRssKb(arg("app-pid"));
        row("6", "service peak RSS (VmHWM)", rssKb / 1024.0, "MB", rssKb / 1024.0 <= 400 ? "<= 400 MB: met"
                : "<= 400 MB: NOT met", "");
        print();
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
        }
    }

    private double baselineSingleInserts(int connections) throws Exception {
        createBaselineTable();
        String sql = "insert into bench_baseline (id, account_id, customer_id, event_id, event_name, event_ts,"
                + " properties, source, received_at) values (?, ?, ?, ?, 'message-sent', now(), ?::jsonb,"
                + " 'SEQUENCE', now())";
        UUID account = UUID.randomUUID();
        return timed(connections, (worker, count, until) -> {
            try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(sql)) {
                long i = 0;
                while (System.nanoTime() < until.get()) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setObject(2, account);
                    insert.setString(3, "customer-" + worker);
                    insert.setString(4, "single-" + worker + "-" + i++);
                    insert.setString(5, "{\"length\": 500, \"type\": \"text_message\"}");
                    insert.executeUpdate();
                    count.incrementAndGet();
                }
            }
        });
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

    private record Credentials(String basic, String appId, String apiKey) {
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
        return new Credentials(basic, account.at("/mantle/appId").asText(), account.at("/mantle/apiKey").asText());
    }

    private static String sequenceEvent(String eventId, String customer) {
        return "{\"customerEventId\":\"" + eventId + "\",\"customerAlias\":\"" + customer + "\","
                + "\"eventType\":\"message-sent\",\"eventTimestamp\":\"" + Instant.now() + "\","
                + "\"eventProperties\":{\"length\":500,\"type\":\"text_message\"}}";
    }

    private HttpRequest sequencePost(Credentials credentials, String eventId, String customer) {
        return HttpRequest.newBuilder(URI.create(arg("app") + "/api/usage-events"))
                .header("Authorization", credentials.basic())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(sequenceEvent(eventId, customer))).build();
    }

    private Load sequenceSingle(Credentials credentials, int connections) throws Exception {
        Recorder latencies = new Recorder(3);
        AtomicLong failures = new AtomicLong();
        double rate = timed(connections, (worker, count, until) -> {
            long i = 0;
            while (System.nanoTime() < until.get()) {
                long start = System.nanoTime();
                HttpResponse<Void> r = http.send(sequencePost(credentials, runId + "-s-" + worker + "-" + i++,
                        "customer-" + worker), HttpResponse.BodyHandlers.discarding());
                latencies.recordValue(System.nanoTime() - start);
                if (r.statusCode() == 201) {
                    count.incrementAndGet();
                } else {
                    failures.incrementAndGet();
                }
            }
        }, latencies);
        return new Load(rate, latencies.getIntervalHistogram(), failures.get());
    }

    private Load mantleBulk(Credentials credentials, int connections, int size) throws Exception {
        Recorder latencies = new Recorder(3);
        AtomicLong failures = new AtomicLong();
        double rate = timed(connections, (worker, count, until) -> {
            long batchNo = 0;
            while (System.nanoTime() < until.get()) {
                StringBuilder body = new StringBuilder("{\"events\":[");
                for (int i = 0; i < size; i++) {
                    body.append(i == 0 ? "" : ",").append("{\"customerId\":\"customer-").append(worker)
                            .append("\",\"eventId\":\"").append(runId).append("-m-").append(worker).append('-')
                            .append(batchNo).append('-').append(i).append("\",\"eventName\":\"api-call\","
                                    + "\"timestamp\":").append(System.currentTimeMillis())
                            .append(",\"properties\":{\"key\":\"value\"}}");
                }
                batchNo++;
                HttpRequest request = HttpRequest.newBuilder(URI.create(arg("app") + "/v1/usage_events"))
                        .header("X-Mantle-App-Id", credentials.appId())
                        .header("X-Mantle-App-Api-Key", credentials.apiKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build();
                long start = System.nanoTime();
                HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                latencies.recordValue(System.nanoTime() - start);
                if (r.statusCode() / 100 == 2) {
                    count.addAndGet(size);
                } else {
                    failures.incrementAndGet();
                }
            }
        }, latencies);
        return new Load(rate, latencies.getIntervalHistogram(), failures.get());
    }

    /**
     * Sends at a fixed rate whatever the answers' pace, and measures each request from the moment it was due,
     * so that a stall is counted in full (no coordinated omission).
     */
    private Load sequenceFixedRate(Credentials credentials, int perSecond) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long total = perSecond * measure.toSeconds();
        Histogram latencies = new Histogram(3);
        AtomicLong failures = new AtomicLong();
        List<CompletableFuture<Object>> inFlight = new ArrayList<>();
        long begin = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = begin + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.add(http.sendAsync(sequencePost(credentials, runId + "-f-" + i, "customer-fixed"),
                    HttpResponse.BodyHandlers.discarding()).handle((r, error) -> {
                        long took = System.nanoTime() - due;
                        synchronized (latencies) {
                            latencies.recordValue(took);
                        }
                        if (error != null || r.statusCode() != 201) {
                            failures.incrementAndGet();
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new Load(total / seconds, latencies, failures.get());
    }

    /**
     * {@code streams} bidirectional streams, each sending batches of {@code size} events and keeping at most
     * {@code window} batches unacknowledged; counts the events of the acknowledged (committed) batches.
     */
    private double grpcStream(Credentials credentials, int streams, int size, int window) throws Exception {
        URI app = URI.create(arg("app"));
        ManagedChannel channel = NettyChannelBuilder.forAddress(app.getHost(), app.getPort()).usePlaintext()
                .flowControlWindow(8 * 1024 * 1024).build();
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), credentials.basic());
        UsageEventsServiceGrpc.UsageEventsServiceStub stub = UsageEventsServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
        try {
            return timed(streams, (worker, count, until) -> {
                Semaphore unacked = new Semaphore(window);
                CompletableFuture<Void> done = new CompletableFuture<>();
                StreamObserver<StreamEventsRequest> requests = stub.streamEvents(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamEventsResponse ack) {
                        count.addAndGet(ack.getResultsCount());
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
                                .setEventId(runId + "-g-" + worker + "-" + batchNo + "-" + i)
                                .setEventName("api-call")
                                .setProperties(Struct.newBuilder().putFields("key",
                                        Value.newBuilder().setStringValue("value").build())));
                    }
                    batchNo++;
                    requests.onNext(batch.build());
                }
                requests.onCompleted();
                done.get(2, TimeUnit.MINUTES);
            });
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

    private record Load(double perSecond, Histogram histogram, long failures) {
        double p99Millis() {
            return histogram.getValueAtPercentile(99) / 1e6;
        }

        String latency() {
            return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms%s",
                    histogram.getValueAtPercentile(50) / 1e6, p99Millis(),
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
