package dev.usageevents.grpc;

import static dev.usageevents.grpc.GrpcTesting.event;
import static dev.usageevents.grpc.GrpcTesting.string;
import static dev.usageevents.grpc.GrpcTesting.struct;
import static dev.usageevents.grpc.GrpcTesting.violations;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.grpc.v1.EventResult;
import dev.usageevents.grpc.v1.ListEventsRequest;
import dev.usageevents.grpc.v1.Outcome;
import dev.usageevents.grpc.v1.StreamEventsRequest;
import dev.usageevents.grpc.v1.StreamEventsResponse;
import dev.usageevents.grpc.v1.SupersedeRule;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc.UsageEventsServiceBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * StreamEvents through its stub: acknowledgements, supersede rules and refusals, over the domain's services on
 * in-memory stores, or over an ingest port whose commits the test completes out of order. What the Quarkus server
 * adds (HTTP/2 flow control against a client that does not read, messages past the size limit in total) is
 * tested end to end in app.
 */
class GrpcStreamTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    InProcessGrpc grpc;
    AccountCredentials account;
    UsageEventsServiceBlockingStub reader;

    void start(InProcessGrpc server) {
        grpc = server;
        account = grpc.account("grpc-stream");
        reader = grpc.blocking(account);
    }

    @AfterEach
    void close() {
        grpc.close();
    }

    @Test
    void acknowledgesInOrderWhenLaterBatchesCommitFirst() throws Exception {
        GatedIngest[] gated = new GatedIngest[1];
        start(InProcessGrpc.withIngest(domain -> gated[0] = new GatedIngest(domain.usageEvents), 4));
        GatedIngest ingest = gated[0];
        Stream stream = Stream.open(grpc.async(account));
        for (int b = 0; b < 5; b++) {
            stream.send(batch("b" + b, 2, "gated"));
        }
        GatedIngest.Pending[] pending = new GatedIngest.Pending[4];
        for (int b = 0; b < 4; b++) {
            pending[b] = ingest.next();
        }

        pending[3].commit();
        pending[1].commit();
        pending[2].commit();
        assertThat(stream.acks.poll(300, TimeUnit.MILLISECONDS)).as("no acknowledgement before b0's").isNull();
        assertThat(ingest.waiting()).as("the window holds four unacknowledged batches: b4 is not read").isZero();

        pending[0].commit();
        for (int b = 0; b < 4; b++) {
            StreamEventsResponse ack = stream.nextAck();
            assertThat(ack.getBatchId()).isEqualTo("b" + b);
            assertThat(ack.getBatchSequence()).isEqualTo(b);
            assertThat(ack.getResultsList()).extracting(r -> r.getEvent().getEventId())
                    .containsExactly("gated-b" + b + "-0", "gated-b" + b + "-1");
        }
        ingest.next().commit();
        assertThat(stream.nextAck().getBatchId()).isEqualTo("b4");
        stream.complete();
        assertThat(stream.awaitClose()).isNull();
    }

    @Test
    void appliesEachBatchsSupersedeRule() throws Exception {
        overTheDomain();
        Stream stream = Stream.open(grpc.async(account));
        stream.send(StreamEventsRequest.newBuilder().setBatchId("v1")
                .addEvents(event("c", "k", "seats", "2024-05-01T10:00:00Z")
                        .setProperties(struct(Map.of("v", string("1"))))).build());
        stream.send(StreamEventsRequest.newBuilder().setBatchId("v2")
                .setSupersedeRule(SupersedeRule.SUPERSEDE_RULE_FIRST_WINS)
                .addEvents(event("c", "k", "seats", "2024-05-01T10:00:00Z")
                        .setProperties(struct(Map.of("v", string("2"))))).build());
        stream.send(StreamEventsRequest.newBuilder().setBatchId("v3")
                .addEvents(event("c", "k", "seats", "2024-05-01T10:00:00Z")
                        .setProperties(struct(Map.of("v", string("3"))))).build());

        assertThat(stream.nextAck().getResults(0).getOutcome()).isEqualTo(Outcome.OUTCOME_CREATED);
        assertThat(stream.nextAck().getResults(0).getOutcome()).isEqualTo(Outcome.OUTCOME_DUPLICATE_IGNORED);
        EventResult last = stream.nextAck().getResults(0);
        assertThat(last.getOutcome()).isEqualTo(Outcome.OUTCOME_SUPERSEDED_PREVIOUS);
        stream.complete();
        stream.awaitClose();

        var current = reader.listEvents(ListEventsRequest.newBuilder().setEventId("k").build());
        assertThat(current.getTotal()).isEqualTo(1);
        assertThat(current.getEvents(0).getProperties().getFieldsOrThrow("v").getStringValue()).isEqualTo("3");
    }

    @Test
    void aBadBatchEndsTheStreamAfterTheBatchesBeforeItAreCommitted() throws Exception {
        overTheDomain();
        Stream stream = Stream.open(grpc.async(account));
        stream.send(StreamEventsRequest.newBuilder().setBatchId("good")
                .addEvents(event("c", "g1", "api-call", "2024-05-01T10:00:00Z")).build());
        stream.send(StreamEventsRequest.newBuilder().setBatchId("bad")
                .addEvents(event("c", "b1", "api-call", "2024-05-01T10:00:00Z"))
                .addEvents(event("", "b2", "api-call", "2024-05-01T10:00:00Z")).build());
        stream.send(StreamEventsRequest.newBuilder().setBatchId("after")
                .addEvents(event("c", "a1", "api-call", "2024-05-01T10:00:00Z")).build());

        assertThat(stream.nextAck().getBatchId()).isEqualTo("good");
        Throwable ended = stream.awaitClose();
        assertThat(ended).isInstanceOf(StatusRuntimeException.class);
        StatusRuntimeException status = (StatusRuntimeException) ended;
        assertThat(violations(status)).containsOnlyKeys("events[1].customer_id");
        assertThat(status.getStatus().getDescription()).contains("batch 1", "bad");
        ErrorInfo info = StatusProto.fromThrowable(status).getDetailsList().stream()
                .filter(d -> d.is(ErrorInfo.class)).findFirst().orElseThrow().unpack(ErrorInfo.class);
        assertThat(info.getMetadataMap()).containsEntry("batch_sequence", "1").containsEntry("batch_id", "bad");
        assertThat(stream.acks).isEmpty();

        assertThat(reader.listEvents(ListEventsRequest.getDefaultInstance()).getEventsList())
                .extracting(e -> e.getEventId()).containsExactly("g1");
    }

    /**
     * Batches sent without waiting commit side by side, yet are acknowledged in order, and a bad batch behind them
     * ends the stream only once every batch before it is acknowledged; nothing after it is stored.
     */
    @Test
    void aBadBatchBehindBatchesStillCommittingEndsTheStreamAfterTheirAcknowledgements() throws Exception {
        overTheDomain();
        Stream stream = Stream.open(grpc.async(account));
        for (int b = 0; b < 12; b++) {
            stream.send(batch("p" + b, 200, "window"));
        }
        stream.send(StreamEventsRequest.newBuilder().setBatchId("bad")
                .addEvents(event("c", "bad-1", "", "2024-05-01T10:00:00Z")).build());
        for (int b = 0; b < 3; b++) {
            stream.send(batch("after" + b, 10, "after"));
        }

        for (int b = 0; b < 12; b++) {
            StreamEventsResponse ack = stream.nextAck();
            assertThat(ack.getBatchId()).isEqualTo("p" + b);
            assertThat(ack.getBatchSequence()).isEqualTo(b);
            assertThat(ack.getResultsList()).extracting(EventResult::getOutcome).containsOnly(Outcome.OUTCOME_CREATED);
        }
        Throwable ended = stream.awaitClose();
        assertThat(Status.fromThrowable(ended).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(((StatusRuntimeException) ended).getStatus().getDescription()).contains("batch 12", "bad");
        assertThat(stream.acks).isEmpty();
        assertThat(reader.listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isEqualTo(12 * 200);
    }

    @Test
    void aBatchProtobufCannotParseEndsTheStreamWithInvalidArgument() throws Exception {
        overTheDomain();
        Stream stream = Stream.open(grpc.async(account));
        stream.send(StreamEventsRequest.newBuilder().setBatchId("good")
                .addEvents(event("c", "g1", "api-call", "2024-05-01T10:00:00Z")).build());
        stream.send(StreamEventsRequest.newBuilder().setBatchId("deep")
                .addEvents(event("c", "d1", "api-call", "2024-05-01T10:00:00Z")
                        .setProperties(GrpcIngestTest.nested(60))).build());

        assertThat(stream.nextAck().getBatchId()).isEqualTo("good");
        assertThat(Status.fromThrowable(stream.awaitClose()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(reader.listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isEqualTo(1);
    }

    @Test
    void aStreamWithoutCredentialsIsRefused() throws Exception {
        overTheDomain();
        Stream stream = Stream.open(UsageEventsServiceGrpc.newStub(grpc.channel));
        stream.send(batch("x", 1, "anon"));
        Throwable ended = stream.awaitClose();
        assertThat(Status.fromThrowable(ended).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    private void overTheDomain() {
        start(InProcessGrpc.start());
    }

    private static StreamEventsRequest batch(String batchId, int size, String prefix) {
        StreamEventsRequest.Builder batch = StreamEventsRequest.newBuilder().setBatchId(batchId);
        for (int i = 0; i < size; i++) {
            batch.addEvents(event("c", prefix + "-" + batchId + "-" + i, "api-call", "2024-05-01T10:00:00Z"));
        }
        return batch.build();
    }

    /** One StreamEvents call seen from the client: what it sends, the acks in order, how it ended. */
    static final class Stream implements StreamObserver<StreamEventsResponse> {
        final BlockingQueue<StreamEventsResponse> acks = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<StreamEventsRequest> requests;

        static Stream open(UsageEventsServiceGrpc.UsageEventsServiceStub stub) {
            Stream stream = new Stream();
            stream.requests = stub.streamEvents(stream);
            return stream;
        }

        void send(StreamEventsRequest batch) {
            requests.onNext(batch);
        }

        void complete() {
            requests.onCompleted();
        }

        StreamEventsResponse nextAck() throws InterruptedException {
            StreamEventsResponse ack = acks.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ack).as("an acknowledgement within %s (stream ended with %s)", WAIT, ended.getNow(null))
                    .isNotNull();
            return ack;
        }

        /** How the call ended: null when the server completed it, else the error. */
        Throwable awaitClose() throws Exception {
            return ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        @Override
        public void onNext(StreamEventsResponse ack) {
            acks.add(ack);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(t);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }
    }
}
