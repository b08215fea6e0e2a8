package dev.usageevents.app.grpc;

import static dev.usageevents.app.grpc.GrpcTesting.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.testing.TestAccount;
import dev.usageevents.grpc.v1.IngestEventRequest;
import dev.usageevents.grpc.v1.StreamEventsRequest;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code grpc-message} as it goes over the wire (grpc-java's client decodes it before a test could see it):
 * percent-encoded as the gRPC spec says, only bytes outside 0x20–0x7E and '%', so ':' and spaces are sent as they
 * are, whether the status ends a call before any message (in the headers) or after some (in the trailers).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class GrpcStatusMessageWireTest {

    @Inject
    Vertx vertx;

    HttpClient client;

    @BeforeEach
    void open() {
        client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    }

    @AfterEach
    void close() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCallRefusedBeforeAnyMessageSendsItsMessageUnescaped() throws Exception {
        Raw raw = call("IngestEvent", Map.of(), frame(IngestEventRequest.getDefaultInstance().toByteArray()));

        assertThat(raw.status()).isEqualTo("16");
        assertThat(raw.message()).contains("'authorization: Basic base64(clientId:clientSecret)'")
                .doesNotContain("%3A", "%20");
    }

    @Test
    void aStreamEndedAfterItsAcksSendsItsMessageUnescapedInTheTrailers() throws Exception {
        TestAccount account = TestAccount.create("grpc-wire");
        Buffer body = frame(StreamEventsRequest.newBuilder().setBatchId("good")
                .addEvents(event("c", "w1", "api-call", "2024-05-01T10:00:00Z")).build().toByteArray());
        body.appendBuffer(frame(StreamEventsRequest.newBuilder().setBatchId("bad")
                .addEvents(event("", "w2", "api-call", "2024-05-01T10:00:00Z")).build().toByteArray()));

        Raw raw = call("StreamEvents",
                Map.of("authorization", account.sequenceAuthorization()), body);

        assertThat(raw.status()).isEqualTo("3");
        assertThat(raw.inTrailers()).as("the status follows an ack, so it is in the trailers").isTrue();
        assertThat(raw.message()).contains("events[0].customer_id: ").doesNotContain("%3A", "%20");
    }

    private static Buffer frame(byte[] message) {
        return Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
    }

    private Raw call(String method, Map<String, String> metadata, Buffer body) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("localhost")
                .setPort(RestAssured.port).setURI("/usage.v1.UsageEventsService/" + method)
                .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
        metadata.forEach(options::putHeader);
        return client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(ignored -> Raw.of(response)))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private record Raw(String status, String message, boolean inTrailers) {
        static Raw of(HttpClientResponse response) {
            if (response.headers().contains("grpc-status")) {
                return new Raw(response.headers().get("grpc-status"), response.headers().get("grpc-message"), false);
            }
            return new Raw(response.trailers().get("grpc-status"), response.trailers().get("grpc-message"), true);
        }
    }
}
