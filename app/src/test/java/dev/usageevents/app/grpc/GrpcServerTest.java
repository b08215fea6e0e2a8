package dev.usageevents.app.grpc;

import static dev.usageevents.app.grpc.GrpcTesting.event;
import static dev.usageevents.app.grpc.GrpcTesting.failure;
import static dev.usageevents.app.grpc.GrpcTesting.string;
import static dev.usageevents.app.grpc.GrpcTesting.struct;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import dev.usageevents.app.testing.TestAccount;
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
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC server as a whole: one port with REST, one reading of HTTP Basic on both channels, the message size
 * limit, reflection, health. The services themselves are tested in adapters-grpc.
 */
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

    /** One reading of HTTP Basic for both channels: the same odd headers get the same refusal on each. */
    @Test
    void oddBasicHeadersGetTheSameAnswerOnRestAndGrpc() {
        TestAccount account = TestAccount.create("grpc-odd-basic");
        java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
        List<String> odd = List.of(
                "Basic " + base64.encodeToString((":" + account.sequenceClientSecret()).getBytes()),
                "Basic " + base64.encodeToString(new byte[] {(byte) 0xC3, ':', 's'}),
                TestAccount.basic(account.sequenceClientId() + "x".repeat(600), account.sequenceClientSecret()));
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

    /** The server takes messages of up to 5 MiB (quarkus.grpc.server.max-inbound-message-size), as REST bodies. */
    @Test
    void aMessageOverFiveMebibytesIsResourceExhausted() {
        UsageEventsServiceBlockingStub stub = TestAccount.create("grpc-big").blocking(channel);
        IngestEventsRequest.Builder big = IngestEventsRequest.newBuilder();
        String blob = "x".repeat(30 * 1024);
        for (int i = 0; i < 200; i++) {
            big.addEvents(event("cust-1", "big-" + i, "api-call", "2024-05-01T10:00:00Z")
                    .setProperties(struct(Map.of("blob", string(blob)))));
        }
        assertThat(big.build().getSerializedSize()).isGreaterThan(5 * 1024 * 1024);

        failure(Status.Code.RESOURCE_EXHAUSTED, () -> stub.ingestEvents(big.build()));
        assertThat(stub.listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isZero();
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
        return UsageEventsServiceGrpc.newBlockingStub(channel)
                .withInterceptors(TestAccount.grpcAuthorization(value));
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
