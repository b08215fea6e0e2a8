package dev.usageevents.grpc;

import static dev.usageevents.grpc.GrpcTesting.at;
import static dev.usageevents.grpc.GrpcTesting.event;
import static dev.usageevents.grpc.GrpcTesting.failure;
import static dev.usageevents.grpc.GrpcTesting.violations;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ResourceInfo;
import dev.usageevents.grpc.v1.GetEventRequest;
import dev.usageevents.grpc.v1.IngestEventRequest;
import dev.usageevents.grpc.v1.IngestEventsRequest;
import dev.usageevents.grpc.v1.ListEventsRequest;
import dev.usageevents.grpc.v1.ListEventsResponse;
import dev.usageevents.grpc.v1.SortOrder;
import dev.usageevents.grpc.v1.UsageEvent;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc.UsageEventsServiceBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GetEvent and ListEvents through their stubs, over the domain's services on in-memory stores. */
class GrpcQueryTest {

    InProcessGrpc grpc;

    UsageEventsServiceBlockingStub stub;
    List<UsageEvent> events;


    @AfterEach
    void close() {
        grpc.close();
    }

    /** Five events of one account, a minute apart: e0 (oldest) to e4; names alternate; e4 is another customer's. */
    @BeforeEach
    void fiveEvents() {
        grpc = InProcessGrpc.start();
        stub = grpc.blocking(grpc.account("grpc-query"));
        events = stub.ingestEvents(IngestEventsRequest.newBuilder()
                .addEvents(event("acme", "e0", "api-call", "2024-05-01T10:00:00Z"))
                .addEvents(event("acme", "e1", "storage", "2024-05-01T10:01:00Z"))
                .addEvents(event("acme", "e2", "api-call", "2024-05-01T10:02:00Z"))
                .addEvents(event("acme", "e3", "storage", "2024-05-01T10:03:00Z"))
                .addEvents(event("globex", "e4", "api-call", "2024-05-01T10:04:00Z"))
                .build()).getResultsList().stream().map(r -> r.getEvent()).toList();
    }

    @Test
    void getsAnEventById() {
        UsageEvent e2 = events.get(2);
        assertThat(stub.getEvent(GetEventRequest.newBuilder().setId(e2.getId()).build())).isEqualTo(e2);
    }

    @Test
    void anUnknownIdIsNotFound() throws InvalidProtocolBufferException {
        String unknown = "0190a8e0-0000-7000-8000-000000000000";
        StatusRuntimeException e = failure(Status.Code.NOT_FOUND,
                () -> stub.getEvent(GetEventRequest.newBuilder().setId(unknown).build()));
        ResourceInfo info = StatusProto.fromThrowable(e).getDetails(0).unpack(ResourceInfo.class);
        assertThat(info.getResourceName()).isEqualTo(unknown);
    }

    @Test
    void aMalformedIdIsInvalid() {
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> stub.getEvent(GetEventRequest.newBuilder().setId("not-a-uuid").build())))).containsOnlyKeys("id");
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> stub.getEvent(GetEventRequest.getDefaultInstance())))).containsOnlyKeys("id");
    }

    @Test
    void anotherAccountSeesNoneOfTheseEvents() {
        UsageEventsServiceBlockingStub other = grpc.blocking(grpc.account("grpc-other"));
        failure(Status.Code.NOT_FOUND,
                () -> other.getEvent(GetEventRequest.newBuilder().setId(events.get(0).getId()).build()));
        assertThat(other.listEvents(ListEventsRequest.newBuilder().setCustomerId("acme").build()).getTotal()).isZero();

        var mine = other.ingestEvent(IngestEventRequest.newBuilder()
                .setEvent(event("acme", "e0", "api-call", "2024-05-01T12:00:00Z")).build()).getResult();
        assertThat(mine.getOutcome()).as("the same event id in another account is another event")
                .isEqualTo(dev.usageevents.grpc.v1.Outcome.OUTCOME_CREATED);
        assertThat(stub.getEvent(GetEventRequest.newBuilder().setId(events.get(0).getId()).build())
                .getSupersededBy()).isEmpty();
    }

    @Test
    void listsNewestFirstPageByPageWithCursorsBothWays() {
        ListEventsResponse first = stub.listEvents(ListEventsRequest.newBuilder().setLimit(2).build());
        assertThat(ids(first)).containsExactly("e4", "e3");
        assertThat(first.getTotal()).isEqualTo(5);
        assertThat(first.getPreviousCursor()).isEmpty();
        assertThat(first.getNextCursor()).isNotEmpty();

        ListEventsResponse second = stub.listEvents(ListEventsRequest.newBuilder().setLimit(2)
                .setAfter(first.getNextCursor()).build());
        assertThat(ids(second)).containsExactly("e2", "e1");
        assertThat(second.getTotal()).isEqualTo(5);

        ListEventsResponse last = stub.listEvents(ListEventsRequest.newBuilder().setLimit(2)
                .setAfter(second.getNextCursor()).build());
        assertThat(ids(last)).containsExactly("e0");
        assertThat(last.getNextCursor()).isEmpty();

        ListEventsResponse back = stub.listEvents(ListEventsRequest.newBuilder().setLimit(2)
                .setBefore(second.getPreviousCursor()).build());
        assertThat(ids(back)).containsExactly("e4", "e3");
    }

    @Test
    void listsInTheOrderAskedForWithTheDefaultPageSize() {
        assertThat(ids(stub.listEvents(ListEventsRequest.newBuilder().setSortOrder(SortOrder.SORT_ORDER_ASC).build())))
                .containsExactly("e0", "e1", "e2", "e3", "e4");
        assertThat(ids(stub.listEvents(ListEventsRequest.newBuilder().setSortOrder(SortOrder.SORT_ORDER_DESC).build())))
                .containsExactly("e4", "e3", "e2", "e1", "e0");

        IngestEventsRequest.Builder more = IngestEventsRequest.newBuilder();
        for (int i = 0; i < 30; i++) {
            more.addEvents(event("acme", "more-" + i, "api-call", "2024-04-01T10:00:00Z"));
        }
        stub.ingestEvents(more.build());
        ListEventsResponse page = stub.listEvents(ListEventsRequest.getDefaultInstance());
        assertThat(page.getEventsCount()).isEqualTo(20);
        assertThat(page.getTotal()).isEqualTo(35);
        assertThat(stub.listEvents(ListEventsRequest.newBuilder().setLimit(100).build()).getEventsCount()).isEqualTo(35);
    }

    @Test
    void filtersByCustomerNameEventIdAndInclusiveTimeRange() {
        assertThat(ids(stub.listEvents(ListEventsRequest.newBuilder().setCustomerId("acme").build())))
                .containsExactly("e3", "e2", "e1", "e0");
        assertThat(ids(stub.listEvents(ListEventsRequest.newBuilder().setEventName("storage").build())))
                .containsExactly("e3", "e1");
        assertThat(ids(stub.listEvents(ListEventsRequest.newBuilder().setEventId("e2").build())))
                .containsExactly("e2");
        assertThat(ids(stub.listEvents(ListEventsRequest.newBuilder()
                .setStartTime(at("2024-05-01T10:01:00Z")).setEndTime(at("2024-05-01T10:03:00Z")).build())))
                .containsExactly("e3", "e2", "e1");
        ListEventsResponse combined = stub.listEvents(ListEventsRequest.newBuilder().setCustomerId("acme")
                .setEventName("api-call").setStartTime(at("2024-05-01T10:01:00Z")).build());
        assertThat(ids(combined)).containsExactly("e2");
        assertThat(combined.getTotal()).isEqualTo(1);
    }

    @Test
    void rejectsBadQueriesWithInvalidArgumentNamingTheField() {
        assertThat(invalid(ListEventsRequest.newBuilder().setLimit(0))).containsOnlyKeys("limit");
        assertThat(invalid(ListEventsRequest.newBuilder().setLimit(101))).containsOnlyKeys("limit");
        assertThat(invalid(ListEventsRequest.newBuilder().setLimit(-1))).containsOnlyKeys("limit");
        assertThat(invalid(ListEventsRequest.newBuilder().setAfter("not a cursor"))).containsOnlyKeys("after");
        assertThat(invalid(ListEventsRequest.newBuilder().setBefore(""))).containsOnlyKeys("before");
        assertThat(invalid(ListEventsRequest.newBuilder().setAfter("x").setBefore("y"))).containsOnlyKeys("after");
        assertThat(invalid(ListEventsRequest.newBuilder().setCustomerId(""))).containsOnlyKeys("customer_id");
        assertThat(invalid(ListEventsRequest.newBuilder().setEventName("x".repeat(256))))
                .containsOnlyKeys("event_name");
        assertThat(invalid(ListEventsRequest.newBuilder().setEventId("tab\there"))).containsOnlyKeys("event_id");
        assertThat(invalid(ListEventsRequest.newBuilder()
                .setStartTime(at("2024-05-02T00:00:00Z")).setEndTime(at("2024-05-01T00:00:00Z"))))
                .containsOnlyKeys("start_time");
        assertThat(invalid(ListEventsRequest.newBuilder().setSortOrderValue(7))).containsOnlyKeys("sort_order");
        assertThat(invalid(ListEventsRequest.newBuilder().setCustomerId("").setLimit(0)))
                .containsOnlyKeys("customer_id", "limit");
    }

    private java.util.Map<String, String> invalid(ListEventsRequest.Builder request) {
        return violations(failure(Status.Code.INVALID_ARGUMENT, () -> stub.listEvents(request.build())));
    }

    private static List<String> ids(ListEventsResponse page) {
        return page.getEventsList().stream().map(UsageEvent::getEventId).toList();
    }
}
