package dev.usageevents.grpc;

import static dev.usageevents.grpc.GrpcTesting.event;
import static dev.usageevents.grpc.GrpcTesting.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.grpc.v1.GetEventRequest;
import dev.usageevents.grpc.v1.IngestEventRequest;
import dev.usageevents.grpc.v1.IngestEventsRequest;
import dev.usageevents.grpc.v1.ListEventsRequest;
import dev.usageevents.grpc.v1.ListMetersRequest;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc.UsageEventsServiceBlockingStub;
import dev.usageevents.grpc.v1.UsageMetersServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SequenceCredentialsInterceptor} in front of both services: who gets in, and what the others are told. */
class SequenceCredentialsTest {

    InProcessGrpc grpc;
    AccountCredentials account;

    @BeforeEach
    void start() {
        grpc = InProcessGrpc.start();
        account = grpc.account("grpc-auth");
    }

    @AfterEach
    void close() {
        grpc.close();
    }

    @Test
    void everyCallWithoutValidCredentialsIsUnauthenticated() {
        String clientId = account.account().sequenceClientId();
        List<String> refused = List.of(
                InProcessGrpc.basic(clientId, "wrong-secret"),
                InProcessGrpc.basic("no-such-client", account.sequenceClientSecret()),
                "Basic not-base64!",
                "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
                "Bearer " + account.sequenceClientSecret());
        assertRefusedEverywhere(UsageEventsServiceGrpc.newBlockingStub(grpc.channel),
                UsageMetersServiceGrpc.newBlockingStub(grpc.channel), "Missing credentials");
        for (String authorization : refused) {
            assertRefusedEverywhere(
                    UsageEventsServiceGrpc.newBlockingStub(grpc.channel)
                            .withInterceptors(InProcessGrpc.authorization(authorization)),
                    UsageMetersServiceGrpc.newBlockingStub(grpc.channel)
                            .withInterceptors(InProcessGrpc.authorization(authorization)), "");
        }
    }

    @Test
    void rotatedSecretsStopWorkingAtOnce() {
        UsageEventsServiceBlockingStub stub = grpc.blocking(account);
        assertThat(stub.listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isZero();

        AccountCredentials rotated = grpc.domain.accounts.rotateSecrets(account.account().id()).orElseThrow();

        failure(Status.Code.UNAUTHENTICATED, () -> stub.listEvents(ListEventsRequest.getDefaultInstance()));
        assertThat(grpc.blocking(rotated).listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isZero();
    }

    private static void assertRefusedEverywhere(UsageEventsServiceBlockingStub events,
            UsageMetersServiceGrpc.UsageMetersServiceBlockingStub meters, String problem) {
        List<ThrowingCallable> calls = List.of(
                () -> events.ingestEvent(IngestEventRequest.newBuilder()
                        .setEvent(event("c", "x", "api-call", "2024-05-01T10:00:00Z")).build()),
                () -> events.ingestEvents(IngestEventsRequest.newBuilder()
                        .addEvents(event("c", "x", "api-call", "2024-05-01T10:00:00Z")).build()),
                () -> events.getEvent(GetEventRequest.newBuilder().setId("0190a8e0-0000-7000-8000-000000000000")
                        .build()),
                () -> events.listEvents(ListEventsRequest.getDefaultInstance()),
                () -> meters.listMeters(ListMetersRequest.getDefaultInstance()));
        for (ThrowingCallable call : calls) {
            StatusRuntimeException e = failure(Status.Code.UNAUTHENTICATED, call);
            assertThat(e.getStatus().getDescription()).contains(problem, "authorization: Basic");
        }
    }
}
