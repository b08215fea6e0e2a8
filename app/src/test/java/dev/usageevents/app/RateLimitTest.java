package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import dev.usageevents.grpc.v1.EventInput;
import dev.usageevents.grpc.v1.IngestEventRequest;
import dev.usageevents.grpc.v1.ListEventsRequest;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import dev.usageevents.app.testing.TestAccount;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rate limits, switched on: 5 ingest calls and 3 other calls per minute per credential. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(RateLimitTest.Limited.class)
class RateLimitTest {

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("usage.rate-limit.ingest-per-minute", "5", "usage.rate-limit.other-per-minute", "3");
        }
    }

    private static String basic(TestAccount account) {
        return account.sequenceAuthorization();
    }

    private static int sequencePost(String authorization, int i) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON)
                .body("{\"customerAlias\":\"c\",\"eventType\":\"api-call\",\"customerEventId\":\"e" + i + "\"}")
                .when().post("/api/usage-events").then().extract().statusCode();
    }

    @Test
    void sequenceAnswers429WithRetryAfterBeyondEachBudget() {
        String a = basic(TestAccount.create("limited A"));
        for (int i = 0; i < 5; i++) {
            assertThat(sequencePost(a, i)).isEqualTo(201);
        }
        given().header("Authorization", a).contentType(ContentType.JSON)
                .body("{\"customerAlias\":\"c\",\"eventType\":\"api-call\"}")
                .when().post("/api/usage-events")
                .then().statusCode(429)
                .header("Retry-After", Integer::parseInt, allOf(greaterThan(0), lessThanOrEqualTo(12)))
                .header("Sequence-Version", equalTo("2024-07-30"))
                .body("error.type", equalTo("RateLimitExceeded"))
                .body("error.message", startsWith("Too many requests"));
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", a).when().get("/api/usage-events").then().statusCode(200);
        }
        given().header("Authorization", a).when().get("/api/usage-events").then().statusCode(429)
                .header("Retry-After", Integer::parseInt, allOf(greaterThan(0), lessThanOrEqualTo(20)));

        String b = basic(TestAccount.create("limited B"));
        assertThat(sequencePost(b, 0)).as("another credential has its own budget").isEqualTo(201);
    }

    @Test
    void mantleAnswers429InItsShapeAndEachCustomerTokenHasItsOwnBudget() {
        TestAccount account = TestAccount.create("limited Mantle");
        String appId = account.mantleAppId();
        String apiKey = account.mantleApiKey();
        String token = given().header("X-Mantle-App-Id", appId).header("X-Mantle-App-Api-Key", apiKey)
                .contentType(ContentType.JSON).body("{\"platform\":\"stripe\",\"platformId\":\"cus_1\"}")
                .when().post("/v1/identify").then().statusCode(200).extract().path("apiToken");
        String event = "{\"customerId\":\"cus_1\",\"eventName\":\"api-call\"}";
        for (int i = 0; i < 5; i++) {
            given().header("X-Mantle-App-Id", appId).header("X-Mantle-App-Api-Key", apiKey)
                    .contentType(ContentType.JSON).body(event)
                    .when().post("/v1/usage_events").then().statusCode(200);
        }
        given().header("X-Mantle-App-Id", appId).header("X-Mantle-App-Api-Key", apiKey)
                .contentType(ContentType.JSON).body(event)
                .when().post("/v1/usage_events")
                .then().statusCode(429)
                .header("Retry-After", Integer::parseInt, allOf(greaterThan(0), lessThanOrEqualTo(12)))
                .body("error", startsWith("Too many requests"));
        given().header("X-Mantle-App-Id", appId).header("X-Mantle-Customer-Api-Token", token)
                .contentType(ContentType.JSON).body(event)
                .when().post("/v1/usage_events").then().statusCode(200);
    }

    @Test
    void grpcAnswersResourceExhaustedWithARetryAfterTrailer() throws Exception {
        String authorization = basic(TestAccount.create("limited gRPC"));
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
        try {
            UsageEventsServiceGrpc.UsageEventsServiceBlockingStub stub = UsageEventsServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            IngestEventRequest request = IngestEventRequest.newBuilder().setEvent(EventInput.newBuilder()
                    .setCustomerId("c").setEventName("api-call")).build();
            for (int i = 0; i < 5; i++) {
                stub.ingestEvent(request);
            }
            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                    () -> stub.ingestEvent(request));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(Integer.parseInt(refused.getTrailers().get(
                    Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)))).isBetween(1, 12);
            stub.listEvents(ListEventsRequest.getDefaultInstance());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLimitHoldsAcrossConcurrentRequests() throws Exception {
        String c = basic(TestAccount.create("limited C"));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                calls.add(() -> sequencePost(c, n));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
            assertThat(statuses).filteredOn(s -> s == 429).hasSize(15);
        } finally {
            pool.shutdownNow();
        }
    }
}
