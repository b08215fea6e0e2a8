package dev.usageevents.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.process.AppProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service process dies under load, by SIGKILL (nothing of it runs any more) or SIGTERM (it stops as it is
 * told to): whatever got a 2xx is in the database, and a client that retries what did not ends with each event
 * stored exactly once.
 */
class AppCrashIT {

    private static final int SENDERS = 8;

    @Test
    void sigkillUnderLoadLosesNoAcknowledgedEvent() throws Exception {
        try (TestDatabase database = TestDatabase.start(); ServiceClient client = new ServiceClient()) {
            Account account;
            List<Reply> replies;
            try (AppProcess app = AppProcess.start(database.jdbcUrl(), database.user(), Map.of())) {
                account = client.createAccount(app.baseUrl(), "Crash");
                try (Load load = Load.start(client, SENDERS, 20_000,
                        i -> Traffic.mixed(i, account, List.of(app.baseUrl()), false))) {
                    load.awaitReplies(Reply::acknowledgedWrite, 500, Duration.ofSeconds(60), "acknowledging a write");
                    app.kill();
                    replies = load.stop();
                }
            }
            assertThat(replies).as("calls that failed at the transport level").anyMatch(r -> !r.answered());
            assertThat(replies).as("answers other than 2xx").allMatch(r -> !r.answered() || r.acknowledged());
            StoredEvents stored = StoredEvents.of(database, account);
            stored.assertAcknowledgedWritesStored(replies);
            stored.assertBatchesAllOrNothing(replies);

            try (AppProcess restarted = AppProcess.start(database.jdbcUrl(), database.user(), Map.of())) {
                assertReadableThroughTheApi(client, restarted, account, replies);
                Traffic.assertNoLossAndNoDoubleCount(database, account, client, restarted.baseUrl(), replies);
            }
            Traffic.printSummary("SIGKILL", replies);
        }
    }

    /**
     * SIGTERM under load: the calls in flight are answered after their group commits (a group waits 200 ms
     * here, so that there are always some), or fail at the transport level; none is acknowledged unstored; the
     * process exits cleanly.
     */
    @Test
    void sigtermDrainsTheWritesInFlightBeforeExiting() throws Exception {
        try (TestDatabase database = TestDatabase.start(); ServiceClient client = new ServiceClient()) {
            Account account;
            List<Reply> replies;
            long terminatedAt;
            String log;
            try (AppProcess app = AppProcess.start(database.jdbcUrl(), database.user(),
                    Map.of("USAGE_GROUP_COMMIT_MAX_WAIT", "PT0.2S"))) {
                account = client.createAccount(app.baseUrl(), "Drain");
                try (Load load = Load.start(client, SENDERS, 20_000,
                        i -> Traffic.mixed(i, account, List.of(app.baseUrl()), false))) {
                    load.awaitReplies(Reply::acknowledgedWrite, 100, Duration.ofSeconds(60), "acknowledging a write");
                    terminatedAt = System.nanoTime();
                    int exit = app.terminate(Duration.ofSeconds(60));
                    assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
                    replies = load.stop();
                }
                log = app.logText();
            }
            assertThat(log).as("the service's log").contains("stopped in").doesNotContain(" ERROR ");
            assertThat(replies).as("answers other than 2xx and 503")
                    .allMatch(r -> !r.answered() || r.acknowledged() || r.status() == 503);
            assertThat(replies).as("calls in flight at SIGTERM acknowledged after it (drained)")
                    .anyMatch(r -> r.acknowledgedWrite() && r.sentAt() < terminatedAt && r.answeredAt() > terminatedAt);
            StoredEvents stored = StoredEvents.of(database, account);
            stored.assertAcknowledgedWritesStored(replies);
            stored.assertBatchesAllOrNothing(replies);

            try (AppProcess restarted = AppProcess.start(database.jdbcUrl(), database.user(), Map.of())) {
                Traffic.assertNoLossAndNoDoubleCount(database, account, client, restarted.baseUrl(), replies);
            }
            Traffic.printSummary("SIGTERM (" + replies.stream().filter(r -> r.acknowledged()
                    && r.sentAt() < terminatedAt && r.answeredAt() > terminatedAt).count()
                    + " in flight acknowledged after the signal)", replies);
        }
    }

    /**
     * The default run: the service starts its own PostgreSQL (a process of its own, which a SIGKILL of the
     * service does not stop). Restarted on the same data directory, the service starts again, with every
     * acknowledged event, and stops its server when it stops.
     */
    @Test
    void sigkillWithTheEmbeddedDatabaseThenARestartOnTheSameDataKeepsEveryAcknowledgedEvent() throws Exception {
        Path data = Files.createTempDirectory("usage-events-embedded-crash");
        Path cluster = data.resolve("postgres");
        Map<String, String> environment = Map.of("USAGE_DATA_DIR", data.toString());
        try (ServiceClient client = new ServiceClient()) {
            Account account;
            List<Reply> replies;
            try (AppProcess app = AppProcess.start(environment)) {
                account = client.createAccount(app.baseUrl(), "Embedded crash");
                try (Load load = Load.start(client, SENDERS, 20_000,
                        i -> Traffic.mixed(i, account, List.of(app.baseUrl()), false))) {
                    load.awaitReplies(Reply::acknowledgedWrite, 300, Duration.ofSeconds(60), "acknowledging a write");
                    app.kill();
                    replies = load.stop();
                }
            }
            assertThat(runningServer(cluster)).as("the embedded server outlives a SIGKILL of the service")
                    .isPresent();

            try (AppProcess restarted = AppProcess.start(environment)) {
                int port = Integer.parseInt(Files.readAllLines(cluster.resolve("postmaster.pid")).get(3).trim());
                StoredEvents.Database database = () -> DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                assertReadableThroughTheApi(client, restarted, account, replies);
                Traffic.assertNoLossAndNoDoubleCount(database, account, client, restarted.baseUrl(), replies);
                Traffic.printSummary("SIGKILL, embedded database", replies);
                assertThat(restarted.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);
                assertThat(restarted.logText()).contains("still running over " + cluster);
            }
            assertThat(runningServer(cluster)).as("the embedded server after the service stopped").isEmpty();
        } finally {
            Optional<ProcessHandle> left = runningServer(cluster);
            if (left.isPresent()) {
                left.get().destroy();
                left.get().onExit().get(60, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The postmaster that {@code postmaster.pid} names, if it runs. */
    private static Optional<ProcessHandle> runningServer(Path cluster) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
                .filter(ProcessHandle::isAlive);
    }

    /** The acknowledged Sequence versions, read back through the restarted service (a sample of them). */
    private static void assertReadableThroughTheApi(ServiceClient client, AppProcess app, Account account,
            List<Reply> replies) throws InterruptedException {
        List<Reply> acknowledged = replies.stream()
                .filter(r -> r.acknowledgedWrite() && r.call().channel() == Call.Channel.SEQUENCE).toList();
        assertThat(acknowledged).isNotEmpty();
        int step = Math.max(1, acknowledged.size() / 50);
        for (int i = 0; i < acknowledged.size(); i += step) {
            Reply reply = acknowledged.get(i);
            Reply read = client.send(Call.sequenceGet(app.baseUrl(), account, reply.sequenceId()));
            assertThat(read.status()).as("%s", read).isEqualTo(200);
            assertThat(read.json().path("customerEventId").asText()).isEqualTo(reply.call().eventIds().get(0));
        }
    }
}
