package dev.usageevents.app.grpc;

import static dev.usageevents.app.grpc.GrpcTesting.at;
import static dev.usageevents.app.grpc.GrpcTesting.event;
import static dev.usageevents.app.grpc.GrpcTesting.failure;
import static dev.usageevents.app.grpc.GrpcTesting.number;
import static dev.usageevents.app.grpc.GrpcTesting.struct;
import static dev.usageevents.app.grpc.GrpcTesting.violations;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.usageevents.app.testing.TestAccount;
import dev.usageevents.grpc.v1.CreateMeterRequest;
import dev.usageevents.grpc.v1.IngestEventsRequest;
import dev.usageevents.grpc.v1.MeterDefinition;
import dev.usageevents.grpc.v1.QueryMeterRequest;
import dev.usageevents.grpc.v1.QueryMeterResponse;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc.UsageEventsServiceBlockingStub;
import dev.usageevents.grpc.v1.UsageMetersServiceGrpc.UsageMetersServiceBlockingStub;
import dev.usageevents.grpc.v1.VoidEventsRequest;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counted values through gRPC, against the domain's implementation and PostgreSQL: events ingested and voided
 * through UsageEventsService, read through QueryMeter, as of before the void too.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class GrpcMetersEndToEndTest {

    ManagedChannel channel;

    /** Opened per test: the test port is known only once the application has started. */
    @BeforeEach
    void open() {
        channel = GrpcTesting.channel();
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    private static QueryMeterResponse total(UsageMetersServiceBlockingStub meters, String id, Timestamp asOf) {
        QueryMeterRequest.Builder query = QueryMeterRequest.newBuilder().setId(id)
                .setFrom(at("2024-05-01T00:00:00Z")).setTo(at("2024-05-02T00:00:00Z"));
        if (asOf != null) {
            query.setAsOf(asOf);
        }
        return meters.queryMeter(query.build());
    }

    @Test
    void voidsRemoveAnEventsContributionAndAsOfStillSeesIt() throws InterruptedException {
        TestAccount account = TestAccount.create("grpc-meters-e2e");
        UsageEventsServiceBlockingStub events = account.blocking(channel);
        UsageMetersServiceBlockingStub meters = account.meters(channel);
        String id = meters.createMeter(CreateMeterRequest.newBuilder()
                .setMeter(MeterDefinition.newBuilder().setName("tokens").setEventName("api-call")
                        .setAggregation("SUM").setUnit("tokens").setValueProperty("tokens")).build())
                .getId();
        events.ingestEvents(IngestEventsRequest.newBuilder()
                .addEvents(event("acme", "e1", "api-call", "2024-05-01T10:00:00Z")
                        .setProperties(struct(Map.of("tokens", number(0.25)))))
                .addEvents(event("acme", "e2", "api-call", "2024-05-01T11:00:00Z")
                        .setProperties(struct(Map.of("tokens", number(2)))))
                .build());

        assertThat(new BigDecimal(total(meters, id, null).getRows(0).getValue())).isEqualByComparingTo("2.25");
        Thread.sleep(5);
        Instant beforeVoid = Instant.now();
        Thread.sleep(5);

        assertThat(events.voidEvents(VoidEventsRequest.newBuilder().addEventIds("e2").build()).getResultsList())
                .singleElement().satisfies(result -> assertThat(result.getEvent().getCustomerId()).isEqualTo("VOID"));

        assertThat(new BigDecimal(total(meters, id, null).getRows(0).getValue())).isEqualByComparingTo("0.25");
        assertThat(total(meters, id, null).getRows(0).getEventCount()).isEqualTo(1);
        Timestamp asOf = Timestamp.newBuilder().setSeconds(beforeVoid.getEpochSecond())
                .setNanos(beforeVoid.getNano()).build();
        assertThat(new BigDecimal(total(meters, id, asOf).getRows(0).getValue())).isEqualByComparingTo("2.25");
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT, () -> events.voidEvents(
                VoidEventsRequest.newBuilder().addEventIds("e1").addEventIds("never-sent").build()))))
                .containsKey("event_ids[1]");
    }
}
