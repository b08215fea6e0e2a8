package dev.usageevents.grpc;

import static dev.usageevents.grpc.GrpcTesting.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import dev.usageevents.domain.testing.InMemoryDomain;
import dev.usageevents.grpc.v1.Outcome;
import dev.usageevents.grpc.v1.StreamEventsRequest;
import dev.usageevents.grpc.v1.StreamEventsResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One StreamEvents call as {@link BatchStream} handles it, driven as gRPC would drive it, over an ingest port
 * whose commits the test completes in any order: acknowledgements in arrival order, demand-driven flow control
 * within the window, batches sharing an event id kept in order, and how failures end the stream.
 */
class BatchStreamTest {

    InMemoryDomain domain;
    AccountCredentials account;
    GatedIngest ingest;
    Responses responses;

    @BeforeEach
    void setUp() {
        domain = new InMemoryDomain();
        account = domain.accounts.create("batch-stream");
        ingest = new GatedIngest(domain.usageEvents);
        responses = new Responses();
    }

    /** A stream whose commits complete on the thread that completes them. */
    BatchStream open(int window) {
        return new BatchStream(ingest, account.account().id(), responses, window, Runnable::run);
    }

    @Test
    void acknowledgesInArrivalOrderWhenCommitsCompleteOutOfOrder() throws Exception {
        BatchStream stream = open(4);
        stream.onNext(batch("b0", "e0"));
        stream.onNext(batch("b1", "e1"));
        stream.onNext(batch("b2", "e2"));
        GatedIngest.Pending b0 = ingest.next();
        GatedIngest.Pending b1 = ingest.next();
        GatedIngest.Pending b2 = ingest.next();

        b2.commit();
        b1.commit();
        assertThat(responses.acks).as("nothing leaves before the first batch is committed").isEmpty();

        b0.commit();
        assertThat(responses.acks).extracting(StreamEventsResponse::getBatchId).containsExactly("b0", "b1", "b2");
        assertThat(responses.acks).extracting(StreamEventsResponse::getBatchSequence).containsExactly(0L, 1L, 2L);
        assertThat(responses.acks.get(2).getResultsList()).extracting(r -> r.getEvent().getEventId())
                .containsExactly("e2");

        stream.onCompleted();
        assertThat(responses.completed).isTrue();
        assertThat(responses.error).isNull();
    }

    @Test
    void readsNoFurtherThanTheWindowOfUnacknowledgedBatches() throws Exception {
        BatchStream stream = open(2);
        assertThat(responses.requested).as("asks for the first batch at once").isEqualTo(1);
        assertThat(responses.autoRequestDisabled).isTrue();

        stream.onNext(batch("b0", "e0"));
        assertThat(responses.requested).isEqualTo(2);
        stream.onNext(batch("b1", "e1"));
        assertThat(responses.requested).as("two batches unacknowledged: the window is full").isEqualTo(2);

        GatedIngest.Pending b0 = ingest.next();
        GatedIngest.Pending b1 = ingest.next();
        b1.commit();
        assertThat(responses.requested).as("committed, but not acknowledged: still full").isEqualTo(2);

        b0.commit();
        assertThat(responses.acks).hasSize(2);
        assertThat(responses.requested).as("one more batch once the window has room").isEqualTo(3);
    }

    @Test
    void aClientThatCannotTakeAcknowledgementsIsNotReadFrom() throws Exception {
        BatchStream stream = open(8);
        stream.onNext(batch("b0", "e0"));
        assertThat(responses.requested).isEqualTo(2);

        responses.ready = false;
        stream.onNext(batch("b1", "e1"));
        ingest.next().commit();
        ingest.next().commit();
        assertThat(responses.requested).as("no demand while the transport is not ready").isEqualTo(2);

        responses.ready = true;
        responses.onReady.run();
        assertThat(responses.requested).isEqualTo(3);
    }

    @Test
    void aBatchNamingAnEventIdOfABatchStillCommittingWaitsForIt() throws Exception {
        BatchStream stream = open(8);
        stream.onNext(batch("first", "k"));
        stream.onNext(StreamEventsRequest.newBuilder().setBatchId("second")
                .addEvents(event("c", "k", "api-call", "2024-05-01T11:00:00Z")).build());
        GatedIngest.Pending first = ingest.next();
        assertThat(ingest.waiting()).as("the second batch is held back, not ingested").isZero();
        assertThat(responses.requested).as("nothing after a held batch is read").isEqualTo(2);

        first.commit();
        GatedIngest.Pending second = ingest.next();
        assertThat(responses.requested).isEqualTo(3);
        second.commit();

        assertThat(responses.acks).extracting(StreamEventsResponse::getBatchId).containsExactly("first", "second");
        assertThat(responses.acks.get(1).getResults(0).getOutcome()).isEqualTo(Outcome.OUTCOME_SUPERSEDED_PREVIOUS);
        assertThat(responses.acks.get(1).getResults(0).getSupersededId())
                .isEqualTo(responses.acks.get(0).getResults(0).getEvent().getId());
    }

    @Test
    void batchesWithoutSharedEventIdsCommitSideBySide() throws Exception {
        BatchStream stream = open(8);
        stream.onNext(batch("a", "a1", "a2"));
        stream.onNext(batch("b", "b1"));
        stream.onNext(StreamEventsRequest.newBuilder().setBatchId("no-ids")
                .addEvents(event("c", null, "api-call", "2024-05-01T10:00:00Z")).build());
        assertThat(ingest.waiting()).as("all three are committing at once").isEqualTo(3);
    }

    @Test
    void aFailedCommitEndsTheStreamAfterTheAcknowledgementsOfTheBatchesBeforeIt() throws Exception {
        BatchStream stream = open(8);
        stream.onNext(batch("b0", "e0"));
        stream.onNext(batch("b1", "e1"));
        stream.onNext(batch("b2", "e2"));
        GatedIngest.Pending b0 = ingest.next();
        GatedIngest.Pending b1 = ingest.next();
        GatedIngest.Pending b2 = ingest.next();

        b1.fail(new StoreUnavailableException("database down", null));
        b2.commit();
        assertThat(responses.error).isNull();
        int requested = responses.requested;

        b0.commit();
        assertThat(responses.acks).extracting(StreamEventsResponse::getBatchId).containsExactly("b0");
        assertThat(Status.fromThrowable(responses.error).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(responses.requested).as("a failed stream reads nothing more").isEqualTo(requested);

        stream.onNext(batch("late", "late"));
        stream.onCompleted();
        assertThat(ingest.waiting()).isZero();
        assertThat(responses.completed).isFalse();
    }

    @Test
    void aBadBatchIsRefusedOnArrivalAndEndsTheStreamOnceTheBatchesBeforeItAreAcknowledged() throws Exception {
        BatchStream stream = open(8);
        stream.onNext(batch("good", "g1"));
        int requested = responses.requested;
        stream.onNext(StreamEventsRequest.newBuilder().setBatchId("bad")
                .addEvents(event("c", "b1", "api-call", "2024-05-01T10:00:00Z"))
                .addEvents(event("", "b2", "api-call", "2024-05-01T10:00:00Z")).build());
        assertThat(responses.requested).as("nothing after a bad batch is read").isEqualTo(requested);
        assertThat(responses.error).as("the batch before it is still committing").isNull();

        ingest.next().commit();
        assertThat(ingest.waiting()).isZero();
        assertThat(responses.acks).extracting(StreamEventsResponse::getBatchId).containsExactly("good");
        assertThat(GrpcTesting.violations((io.grpc.StatusRuntimeException) responses.error))
                .containsOnlyKeys("events[1].customer_id");
        assertThat(Status.fromThrowable(responses.error).getDescription()).contains("batch 1", "'bad'");
    }

    @Test
    void aHalfClosedStreamCompletesAfterItsLastAcknowledgement() throws Exception {
        BatchStream stream = open(8);
        stream.onNext(batch("b0", "e0"));
        stream.onCompleted();
        assertThat(responses.completed).isFalse();
        int requested = responses.requested;

        ingest.next().commit();
        assertThat(responses.acks).hasSize(1);
        assertThat(responses.completed).isTrue();
        assertThat(responses.requested).as("no demand after the client's half-close").isEqualTo(requested);
    }

    @Test
    void aCancelledStreamSendsNothingMore() throws Exception {
        BatchStream stream = open(8);
        stream.onNext(batch("b0", "e0"));
        responses.onCancel.run();
        ingest.next().commit();
        assertThat(responses.acks).isEmpty();
        assertThat(responses.completed).isFalse();
        assertThat(responses.error).isNull();
    }

    private static StreamEventsRequest batch(String batchId, String... eventIds) {
        StreamEventsRequest.Builder batch = StreamEventsRequest.newBuilder().setBatchId(batchId);
        for (String eventId : eventIds) {
            batch.addEvents(event("c", eventId, "api-call", "2024-05-01T10:00:00Z"));
        }
        return batch.build();
    }

    /** The server side of the call as gRPC gives it to the service: records what the stream does with it. */
    static final class Responses extends ServerCallStreamObserver<StreamEventsResponse> {
        final List<StreamEventsResponse> acks = new ArrayList<>();
        Throwable error;
        boolean completed;
        boolean ready = true;
        boolean autoRequestDisabled;
        int requested;
        Runnable onReady = () -> { };
        Runnable onCancel = () -> { };

        @Override
        public void onNext(StreamEventsResponse ack) {
            assertThat(error == null && !completed).as("no message after the end of the call").isTrue();
            acks.add(ack);
        }

        @Override
        public void onError(Throwable t) {
            assertThat(error == null && !completed).as("the call ends once").isTrue();
            error = t;
        }

        @Override
        public void onCompleted() {
            assertThat(error == null && !completed).as("the call ends once").isTrue();
            completed = true;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
            onCancel = handler;
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void disableAutoInboundFlowControl() {
            autoRequestDisabled = true;
        }

        @Override
        public void disableAutoRequest() {
            autoRequestDisabled = true;
        }

        @Override
        public void request(int count) {
            requested += count;
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }
    }
}
