package dev.usageevents.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.process.AppProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The wave of issue 13, scaled to two cores: with the heap capped ({@code -Xmx256m}, through {@code bin/usage-events}
 * and its {@code -XX:+ExitOnOutOfMemoryError}), concurrent bodies near the 5 MiB limit, valid Mantle batches of
 * long strings, bodies with wrong credentials and bodies cut short (a {@code Content-Length} larger than the
 * bytes sent, then the connection closed). Every batch acknowledged is stored byte for byte; none cut short is
 * acknowledged or stored; wrong credentials get their 401 without the body; the process stays under its
 * documented memory bound and {@code /q/health/live} answers within a second throughout.
 */
class BigBodiesIT {

    private static final int VALID = 12;
    private static final int WRONG_CREDENTIALS = 12;
    private static final int TRUNCATED = 4;
    private static final int EVENTS_PER_BATCH = 160;
    private static final int STRING_LENGTH = 30_000;
    /** The README's bound for the resident set with -Xmx256m: heap, plus metaspace, threads, buffers, code. */
    static final long RSS_BOUND_BYTES = 640L * 1024 * 1024;

    private record Batch(String body, List<String> eventIds, Map<String, String> blobs) {
    }

    private record Answer(int status, String body) {
    }

    @Test
    void aWaveOfBigBodiesIsStoredWholeOrRefusedWithinTheMemoryBoundWhileHealthAnswers() throws Exception {
        try (TestDatabase database = TestDatabase.start(); ServiceClient client = new ServiceClient();
                AppProcess app = AppProcess.start(database.jdbcUrl(), database.user(), Map.of())) {
            Account account = client.createAccount(app.baseUrl(), "Wave");
            Random random = new Random(13);
            List<Batch> valid = new ArrayList<>();
            for (int i = 0; i < VALID; i++) {
                valid.add(batch("v" + i, random));
            }
            List<Batch> truncated = new ArrayList<>();
            for (int i = 0; i < TRUNCATED; i++) {
                truncated.add(batch("t" + i, random));
            }
            byte[] junk = batch("w", random).body().getBytes(StandardCharsets.UTF_8);

            AtomicBoolean waving = new AtomicBoolean(true);
            AtomicLong slowestLive = new AtomicLong();
            AtomicLong largestRss = new AtomicLong();
            ConcurrentLinkedQueue<String> liveFailures = new ConcurrentLinkedQueue<>();
            Thread watcher = new Thread(() -> watch(app, waving, slowestLive, largestRss, liveFailures), "watcher");
            watcher.start();

            ExecutorService senders = Executors.newFixedThreadPool(VALID + WRONG_CREDENTIALS + TRUNCATED);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> validAnswers = new ArrayList<>();
            List<Future<Answer>> wrongAnswers = new ArrayList<>();
            List<Future<Answer>> truncatedAnswers = new ArrayList<>();
            Map<String, String> good = Map.of("X-Mantle-App-Id", account.mantleAppId(),
                    "X-Mantle-App-Api-Key", account.mantleApiKey());
            Map<String, String> wrong = Map.of("X-Mantle-App-Id", account.mantleAppId(),
                    "X-Mantle-App-Api-Key", account.mantleApiKey() + "x");
            for (Batch batch : valid) {
                validAnswers.add(senders.submit(() -> {
                    go.await();
                    return sendRetryingWhileBusy(app.port(), good, batch.body().getBytes(StandardCharsets.UTF_8));
                }));
            }
            for (int i = 0; i < WRONG_CREDENTIALS; i++) {
                wrongAnswers.add(senders.submit(() -> {
                    go.await();
                    return send(app.port(), wrong, junk, junk.length, junk.length);
                }));
            }
            for (Batch batch : truncated) {
                byte[] body = batch.body().getBytes(StandardCharsets.UTF_8);
                truncatedAnswers.add(senders.submit(() -> {
                    go.await();
                    return send(app.port(), good, body, body.length + 4096, body.length);
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            senders.shutdown();
            assertThat(senders.awaitTermination(90, TimeUnit.SECONDS)).as("the wave ends").isTrue();
            long wave = System.nanoTime() - start;
            waving.set(false);
            watcher.join();

            int acknowledged = 0;
            for (int i = 0; i < VALID; i++) {
                Answer answer = validAnswers.get(i).get();
                assertThat(answer.status()).as("valid batch %d: %s", i, answer.body()).isIn(200, 503, -1);
                if (answer.status() == 200) {
                    acknowledged++;
                    assertStoredByteForByte(database, account, valid.get(i));
                }
            }
            assertThat(acknowledged).as("valid batches acknowledged").isGreaterThan(0);
            for (Future<Answer> answer : wrongAnswers) {
                assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(401);
            }
            for (int i = 0; i < TRUNCATED; i++) {
                Answer answer = truncatedAnswers.get(i).get();
                assertThat(answer.status() / 100).as("a body cut short: %s", answer.body()).isNotEqualTo(2);
                assertThat(stored(database, account, truncated.get(i).eventIds())).as("events of a cut body")
                        .isEmpty();
            }
            assertThat(liveFailures).as("/q/health/live failures").isEmpty();
            assertThat(slowestLive.get()).as("slowest /q/health/live, ms").isLessThan(1000);
            assertThat(largestRss.get()).as("largest RSS").isLessThan(RSS_BOUND_BYTES);
            assertThat(app.isAlive()).isTrue();
            assertThat(app.logText()).doesNotContain("OutOfMemoryError");
            System.out.printf("BigBodiesIT: %d of %d valid batches acknowledged in %d ms; slowest live %d ms; "
                    + "largest RSS %d MiB%n", acknowledged, VALID, TimeUnit.NANOSECONDS.toMillis(wave),
                    slowestLive.get(), largestRss.get() >> 20);
        }
    }

    /** Mantle batch of 160 events, each with a string of 30,000 random letters: about 4.6 MiB. */
    private static Batch batch(String name, Random random) {
        StringBuilder body = new StringBuilder("{\"events\":[");
        List<String> ids = new ArrayList<>();
        Map<String, String> blobs = new LinkedHashMap<>();
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            String id = name + "-" + i;
            char[] blob = new char[STRING_LENGTH];
            for (int c = 0; c < blob.length; c++) {
                blob[c] = (char) ('a' + random.nextInt(26));
            }
            String text = new String(blob);
            ids.add(id);
            blobs.put(id, text);
            body.append(i == 0 ? "" : ",").append("{\"eventId\":\"").append(id)
                    .append("\",\"eventName\":\"wave\",\"customerId\":\"c\",\"properties\":{\"blob\":\"")
                    .append(text).append("\"}}");
        }
        return new Batch(body.append("]}").toString(), ids, blobs);
    }

    /** Sends a whole body, again after each 503 (as its Retry-After says), for up to a minute. */
    private static Answer sendRetryingWhileBusy(int port, Map<String, String> headers, byte[] body)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Answer answer;
        do {
            answer = send(port, headers, body, body.length, body.length);
            if (answer.status() != 503) {
                return answer;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return answer;
    }

    /**
     * POSTs {@code sent} bytes of {@code body} to /v1/usage_events announcing {@code declared}, then reads the
     * answer; when fewer bytes are sent than announced, the sending side is closed. -1: no answer.
     */
    private static Answer send(int port, Map<String, String> headers, byte[] body, long declared, int sent)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder("POST /v1/usage_events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + declared + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            try {
                for (int offset = 0; offset < sent; offset += 65536) {
                    out.write(body, offset, Math.min(65536, sent - offset));
                }
                out.flush();
                if (sent < declared) {
                    socket.shutdownOutput();
                }
            } catch (IOException refusedEarly) {
                // the service answered before the whole body and closed: read what it said
            }
            return read(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            return new Answer(-1, e.toString());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                bytes.write(buffer, 0, n);
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0 && complete(text, end)) {
                    break;
                }
            }
        } catch (IOException reset) {
            // what arrived before the reset is the answer
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (!text.startsWith("HTTP/1.1 ")) {
            return new Answer(-1, text);
        }
        return new Answer(Integer.parseInt(text.substring(9, 12)), text);
    }

    private static boolean complete(String text, int headEnd) {
        for (String line : text.substring(0, headEnd).split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return text.length() - headEnd - 4 >= Integer.parseInt(line.substring(15).trim());
            }
        }
        return false;
    }

    /** Polls liveness (1 s timeout) and the process's resident set every 100 ms while the wave lasts. */
    private static void watch(AppProcess app, AtomicBoolean waving, AtomicLong slowestLive, AtomicLong largestRss,
            ConcurrentLinkedQueue<String> failures) {
        Path status = Path.of("/proc", Long.toString(app.pid()), "status");
        while (waving.get()) {
            long start = System.nanoTime();
            try (Socket socket = new Socket("127.0.0.1", app.port())) {
                socket.setSoTimeout(1000);
                socket.getOutputStream().write("GET /q/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                Answer live = read(socket.getInputStream());
                if (live.status() != 200) {
                    failures.add(live.status() + " " + live.body());
                }
            } catch (IOException e) {
                failures.add(e.toString());
            }
            slowestLive.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        largestRss.accumulateAndGet(kib * 1024, Math::max);
                    }
                }
                Thread.sleep(100);
            } catch (IOException | InterruptedException e) {
                failures.add("watcher: " + e);
                return;
            }
        }
    }

    private static void assertStoredByteForByte(TestDatabase database, Account account, Batch batch)
            throws Exception {
        Map<String, String> stored = stored(database, account, batch.eventIds());
        assertThat(stored.keySet()).as("event ids stored of an acknowledged batch")
                .containsExactlyInAnyOrderElementsOf(batch.eventIds());
        for (String id : batch.eventIds()) {
            assertThat(stored.get(id)).as("the string of %s", id).isEqualTo(batch.blobs().get(id));
        }
    }

    private static Map<String, String> stored(TestDatabase database, Account account, List<String> eventIds)
            throws Exception {
        Map<String, String> stored = new HashMap<>();
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(
                "select event_id, properties->>'blob' from usage_events where account_id = ? and event_id = any(?)")) {
            select.setObject(1, account.id());
            select.setArray(2, connection.createArrayOf("text", eventIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return stored;
    }
}
