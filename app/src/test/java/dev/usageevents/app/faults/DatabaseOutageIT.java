package dev.usageevents.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.faults.Call.Channel;
import dev.usageevents.app.process.AppProcess;
import dev.usageevents.grpc.v1.GetEventRequest;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away under load, and comes back: the service refuses with 503 and {@code Retry-After} in each
 * schema's error shape while it is gone, says so on {@code /q/health/ready}, acknowledges nothing that it did
 * not commit, and serves again as soon as the database is back, without a restart.
 */
class DatabaseOutageIT {

    /** Longer than the account look-up cache (USAGE_AUTH_CACHE_TTL, 5 s): authentication needs the database too. */
    private static final Duration OUTAGE = Duration.ofSeconds(7);

    @Test
    void aStoppedDatabaseIsRefusedWith503AndTheServiceRecoversWhenItReturns() throws Exception {
        try (TestDatabase database = TestDatabase.start();
                AppProcess app = AppProcess.start(database.jdbcUrl(), database.user(), Map.of());
                ServiceClient client = new ServiceClient()) {
            Account account = client.createAccount(app.baseUrl(), "Outage");
            long pid = app.pid();
            List<Reply> replies;
            long downFrom;
            long downUntil;
            try (Load load = Load.start(client, 6, 20_000,
                    i -> Traffic.mixed(i, account, List.of(app.baseUrl()), true))) {
                load.awaitReplies(Reply::acknowledgedWrite, 100, Duration.ofSeconds(30), "acknowledging a write");

                database.stop();
                downFrom = System.nanoTime();
                awaitReadiness(client, app, 503, Duration.ofSeconds(20));
                for (Channel channel : Channel.values()) {
                    for (boolean write : new boolean[] {true, false}) {
                        load.awaitReplies(refusedAfter(downFrom, channel, write), 3, Duration.ofSeconds(20),
                                "refusing a " + channel + (write ? " write" : " read") + " during the outage");
                    }
                }
                long since = System.nanoTime();
                Thread.sleep(Math.max(0, OUTAGE.toMillis() - (since - downFrom) / 1_000_000));
                load.awaitReplies(refusedAfter(downFrom + OUTAGE.toNanos() - 1_000_000_000L, null, true), 10,
                        Duration.ofSeconds(20), "refusing writes once the account cache has expired");
                assertThat(client.readiness(app.baseUrl()).getKey()).as("readiness during the outage").isEqualTo(503);
                assertThat(grpcGet(app, account)).as("gRPC during the outage").isEqualTo(Status.Code.UNAVAILABLE);
                HttpResponse<String> admin = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(app.baseUrl() + "/admin/accounts"))
                        .header("Authorization", "Bearer " + AppProcess.ADMIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"During the outage\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(admin.statusCode()).as("the admin API during the outage").isEqualTo(503);
                assertThat(admin.headers().firstValue("Retry-After")).isPresent();
                assertThat(admin.body()).contains("\"error\":{\"type\":\"ServiceUnavailable\"");

                downUntil = System.nanoTime();
                database.restart();
                long upFrom = System.nanoTime();
                app.awaitReady(Duration.ofSeconds(30));
                for (Channel channel : Channel.values()) {
                    load.awaitReplies(r -> r.sentAt() > upFrom && r.acknowledgedWrite()
                            && r.call().channel() == channel, 50, Duration.ofSeconds(30),
                            "acknowledging a " + channel + " write after the database returned");
                }
                assertThat(grpcGet(app, account)).as("gRPC after the outage").isEqualTo(Status.Code.NOT_FOUND);
                replies = load.stop();
            }

            assertThat(app.isAlive()).as("the service kept running").isTrue();
            assertThat(app.pid()).isEqualTo(pid);
            assertThat(replies).as("every call was answered").allMatch(Reply::answered);
            Traffic.assertRefusalsAreServiceUnavailable(replies);
            assertThat(replies).as("writes acknowledged while the database was down")
                    .noneMatch(r -> r.acknowledgedWrite() && r.sentAt() > downFrom && r.answeredAt() < downUntil);
            Traffic.assertNoLossAndNoDoubleCount(database, account, client, app.baseUrl(), replies);
            assertThat(app.logText()).as("the service's log").doesNotContain("group commit loop failed");
            Traffic.printSummary("PostgreSQL stopped", replies);
        }
    }

    @Test
    void aCrashedDatabaseLosesNoAcknowledgedEvent() throws Exception {
        try (TestDatabase database = TestDatabase.start();
                AppProcess app = AppProcess.start(database.jdbcUrl(), database.user(), Map.of());
                ServiceClient client = new ServiceClient()) {
            Account account = client.createAccount(app.baseUrl(), "Database crash");
            List<Reply> replies;
            try (Load load = Load.start(client, 6, 20_000,
                    i -> Traffic.mixed(i, account, List.of(app.baseUrl()), false))) {
                load.awaitReplies(Reply::acknowledgedWrite, 300, Duration.ofSeconds(30), "acknowledging a write");
                database.crash();
                long downFrom = System.nanoTime();
                load.awaitReplies(refusedAfter(downFrom, null, true), 3, Duration.ofSeconds(20),
                        "refusing a write after the crash");
                database.restart();
                long upFrom = System.nanoTime();
                app.awaitReady(Duration.ofSeconds(30));
                load.awaitReplies(r -> r.sentAt() > upFrom && r.acknowledgedWrite(), 50, Duration.ofSeconds(30),
                        "acknowledging a write after the database returned");
                replies = load.stop();
            }
            assertThat(replies).as("every call was answered").allMatch(Reply::answered);
            Traffic.assertRefusalsAreServiceUnavailable(replies);
            Traffic.assertNoLossAndNoDoubleCount(database, account, client, app.baseUrl(), replies);
            Traffic.printSummary("PostgreSQL crashed", replies);
        }
    }

    private static Predicate<Reply> refusedAfter(long from, Channel channel, boolean write) {
        return r -> r.sentAt() > from && r.answered() && r.status() == 503 && r.call().write() == write
                && (channel == null || r.call().channel() == channel);
    }

    /**
     * The status of a gRPC GetEvent of an id that does not exist, with the account's Sequence credentials (a read,
     * so that the traffic's stored events stay exactly those it acknowledged): NOT_FOUND while the database is
     * there, UNAVAILABLE while it is not.
     */
    private static Status.Code grpcGet(AppProcess app, Account account) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", app.port()).usePlaintext().build();
        try {
            Metadata metadata = new Metadata();
            metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Basic "
                    + Base64.getEncoder().encodeToString((account.sequenceClientId() + ":"
                            + account.sequenceClientSecret()).getBytes(StandardCharsets.UTF_8)));
            UsageEventsServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getEvent(GetEventRequest.newBuilder().setId(UUID.randomUUID().toString()).build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void awaitReadiness(ServiceClient client, AppProcess app, int status, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map.Entry<Integer, String> readiness = client.readiness(app.baseUrl());
        while (readiness.getKey() != status && System.nanoTime() < deadline) {
            Thread.sleep(200);
            readiness = client.readiness(app.baseUrl());
        }
        assertThat(readiness.getKey()).as("readiness: %s", readiness.getValue()).isEqualTo(status);
        assertThat(readiness.getValue()).contains(status == 200 ? "\"UP\"" : "\"DOWN\"");
    }
}
