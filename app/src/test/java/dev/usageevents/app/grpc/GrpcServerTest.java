package dev.usageevents.app.grpc;

import static dev.usageevents.app.grpc.GrpcTesting.event;
import static dev.usageevents.app.grpc.GrpcTesting.failure;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import dev.usageevents.grpc.v1.GetEventRequest;
import dev.usageevents.grpc.v1.IngestEventRequest;
import dev.usageevents.grpc.v1.IngestEventsRequest;
import dev.usageevents.grpc.v1.ListEventsRequest;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc.UsageEventsServiceBlockingStub;
import dev.usageevents.persistence.testing.PostgresTestResource;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gRPC server as a whole: one port with REST, credentials, reflection, health. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class GrpcServerTest {

    ManagedChannel channel;

    @BeforeEach
    void open() {
        channel = GrpcTesting.channel();
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    @Test
    void everyCallWithoutValidCredentialsIsUnauthenticated() {
        TestAccount account = TestAccount.create("grpc-auth");
        List<UsageEventsServiceBlockingStub> refused = List.of(
                UsageEventsServiceGrpc.newBlockingStub(channel),
                withAuthorization(TestAccount.basic(account.clientId(), "wrong-secret")),
                withAuthorization(TestAccount.basic("no-such-client", account.clientSecret())),
                withAuthorization("Basic not-base64!"),
                withAuthorization("Basic " + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes())),
                withAuthorization("Bearer " + account.clientSecret()));
        for (UsageEventsServiceBlockingStub stub : refused) {
            for (ThrowingCallable call : everyUnaryCall(stub)) {
                StatusRuntimeException e = failure(Status.Code.UNAUTHENTICATED, call);
                assertThat(e.getStatus().getDescription()).contains("authorization: Basic");
            }
        }
    }

    @Test
    void rotatedSecretsStopWorkingAtOnce() {
        TestAccount account = TestAccount.create("grpc-rotate");
        UsageEventsServiceBlockingStub stub = account.blocking(channel);
        assertThat(stub.listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isZero();

        String newSecret = given().header("Authorization", "Bearer test-admin-token")
                .when().post("/admin/accounts/" + account.id() + "/rotate-secrets")
                .then().statusCode(200).extract().path("sequence.clientSecret");

        failure(Status.Code.UNAUTHENTICATED, () -> stub.listEvents(ListEventsRequest.getDefaultInstance()));
        assertThat(withAuthorization(TestAccount.basic(account.clientId(), newSecret))
                .listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isZero();
    }

    /** One reading of HTTP Basic for both channels: the same odd headers get the same refusal on each. */
    @Test
    void oddBasicHeadersGetTheSameAnswerOnRestAndGrpc() {
        TestAccount account = TestAccount.create("grpc-odd-basic");
        java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
        List<String> odd = List.of(
                "Basic " + base64.encodeToString((":" + account.clientSecret()).getBytes()),
                "Basic " + base64.encodeToString(new byte[] {(byte) 0xC3, ':', 's'}),
                TestAccount.basic(account.clientId() + "x".repeat(600), account.clientSecret()));
        for (String authorization : odd) {
            given().header("Authorization", authorization).when().get("/api/usage-events")
                    .then().statusCode(401);
            failure(Status.Code.UNAUTHENTICATED,
                    () -> withAuthorization(authorization).listEvents(ListEventsRequest.getDefaultInstance()));
        }
    }

    @Test
    void servesRestAndGrpcOnOnePort() {
        given().when().get("/q/health/ready").then().statusCode(200);
        TestAccount account = TestAccount.create("grpc-port");
        assertThat(account.blocking(channel).listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isZero();
    }

    @Test
    void reflectionDescribesTheServiceWithoutCredentials() throws Exception {
        List<ServerReflectionResponse> responses = reflect(
                ServerReflectionRequest.newBuilder().setListServices("").build(),
                ServerReflectionRequest.newBuilder().setFileContainingSymbol("usage.v1.UsageEventsService").build());

        assertThat(responses.get(0).getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
                .contains("usage.v1.UsageEventsService", "usage.v1.UsageMetersService", "grpc.health.v1.Health");
        FileDescriptorProto file = FileDescriptorProto.parseFrom(
                responses.get(1).getFileDescriptorResponse().getFileDescriptorProto(0));
        assertThat(file.getPackage()).isEqualTo("usage.v1");
        assertThat(file.getService(0).getMethodList()).extracting(m -> m.getName())
                .containsExactly("IngestEvent", "IngestEvents", "StreamEvents", "GetEvent", "ListEvents",
                        "VoidEvents");
    }

    @Test
    void healthServiceAnswersWithoutCredentials() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("usage.v1.UsageEventsService").build())
                .getStatus()).isEqualTo(ServingStatus.SERVING);
    }

    private UsageEventsServiceBlockingStub withAuthorization(String value) {
        return UsageEventsServiceGrpc.newBlockingStub(channel).withInterceptors(TestAccount.authorization(value));
    }

    private static List<ThrowingCallable> everyUnaryCall(UsageEventsServiceBlockingStub stub) {
        return List.of(
                () -> stub.ingestEvent(IngestEventRequest.newBuilder()
                        .setEvent(event("c", "x", "api-call", "2024-05-01T10:00:00Z")).build()),
                () -> stub.ingestEvents(IngestEventsRequest.newBuilder()
                        .addEvents(event("c", "x", "api-call", "2024-05-01T10:00:00Z")).build()),
                () -> stub.getEvent(GetEventRequest.newBuilder().setId("0190a8e0-0000-7000-8000-000000000000").build()),
                () -> stub.listEvents(ListEventsRequest.getDefaultInstance()));
    }

    private List<ServerReflectionResponse> reflect(ServerReflectionRequest... requests) throws Exception {
        List<ServerReflectionResponse> responses = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        responses.add(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (ServerReflectionRequest request : requests) {
            out.onNext(request);
        }
        out.onCompleted();
        done.get(30, TimeUnit.SECONDS);
        return responses;
    }
}
