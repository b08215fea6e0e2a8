package dev.usageevents.app.grpc;

import static dev.usageevents.app.grpc.GrpcTesting.event;
import static dev.usageevents.app.grpc.GrpcTesting.string;
import static dev.usageevents.app.grpc.GrpcTesting.struct;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.testing.TestAccount;
import dev.usageevents.grpc.v1.EventResult;
import dev.usageevents.grpc.v1.GetEventRequest;
import dev.usageevents.grpc.v1.ListEventsRequest;
import dev.usageevents.grpc.v1.Outcome;
import dev.usageevents.grpc.v1.StreamEventsRequest;
import dev.usageevents.grpc.v1.StreamEventsResponse;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc.UsageEventsServiceBlockingStub;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * StreamEvents end to end, on the application's HTTP/2 server over PostgreSQL: each acknowledged batch is readable,
 * the stream carries more than one message's limit, and HTTP/2 flow control holds back a client that does not read
 * its acknowledgements. The stream's own rules (order, window, refusals) are tested in adapters-grpc.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class GrpcStreamTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    ManagedChannel channel;
    /**
     * The reader's own connection: a stream held back by flow control holds its connection's HTTP/2 window too, so
     * calls made beside it on the same connection would wait with it.
     */
    ManagedChannel readerChannel;

    TestAccount account;
    UsageEventsServiceBlockingStub reader;


    @AfterEach
    void close() {
        channel.shutdownNow();
        readerChannel.shutdownNow();
    }

    @BeforeEach
    void newAccount() {
        channel = GrpcTesting.channel();
        readerChannel = GrpcTesting.channel();
        account = TestAccount.create("grpc-stream");
        reader = account.blocking(readerChannel);
    }

    @Test
    void acknowledgesEachBatchAfterItsCommitInOrder() throws Exception {
        Stream stream = Stream.open(account.async(channel));
        for (int b = 0; b < 3; b++) {
            stream.send(batch("b" + b, 3, "seq"));
            StreamEventsResponse ack = stream.nextAck();
            assertThat(ack.getBatchId()).isEqualTo("b" + b);
            assertThat(ack.getBatchSequence()).isEqualTo(b);
            assertThat(ack.getResultsList()).extracting(EventResult::getOutcome).containsOnly(Outcome.OUTCOME_CREATED);
            assertReadableNow(ack);
        }

        for (int b = 3; b < 8; b++) {
            stream.send(batch("b" + b, 50, "pipelined"));
        }
        for (int b = 3; b < 8; b++) {
            StreamEventsResponse ack = stream.nextAck();
            assertThat(ack.getBatchId()).isEqualTo("b" + b);
            assertThat(ack.getBatchSequence()).isEqualTo(b);
            assertThat(ack.getResultsCount()).isEqualTo(50);
            assertReadableNow(ack);
        }
        stream.complete();
        assertThat(stream.awaitClose()).isNull();
        assertThat(reader.listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isEqualTo(3 * 3 + 5 * 50);
    }

    @Test
    void carriesMoreThanTheMessageLimitInTotal() throws Exception {
        Stream stream = Stream.open(account.async(channel));
        String blob = "x".repeat(20 * 1024);
        int batches = 10;
        for (int b = 0; b < batches; b++) {
            StreamEventsRequest.Builder batch = StreamEventsRequest.newBuilder().setBatchId("big" + b);
            for (int i = 0; i < 40; i++) {
                batch.addEvents(event("c", "big-" + b + "-" + i, "upload", "2024-05-01T10:00:00Z")
                        .setProperties(struct(Map.of("blob", string(blob)))));
            }
            stream.send(batch.build());
        }
        for (int b = 0; b < batches; b++) {
            assertThat(stream.nextAck().getBatchId()).isEqualTo("big" + b);
        }
        stream.complete();
        assertThat(stream.awaitClose()).isNull();
        assertThat(reader.listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isEqualTo(batches * 40);
    }

    /**
     * A client that writes as fast as the transport lets it but does not read its acknowledgements: the server
     * stops reading batches once its acknowledgements back up, so the client's transport stops accepting writes
     * long before it has sent everything, and the server stops committing. Once the client reads again, every
     * batch is committed and acknowledged.
     */
    @Test
    void aClientThatDoesNotReadItsAcknowledgementsIsHeldBack() throws Exception {
        int total = 400;
        String blob = "x".repeat(2048);
        BlockingQueue<StreamEventsResponse> acks = new LinkedBlockingQueue<>();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        CompletableFuture<ClientCallStreamObserver<StreamEventsRequest>> started = new CompletableFuture<>();
        account.async(channel).streamEvents(new ClientResponseObserver<StreamEventsRequest, StreamEventsResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<StreamEventsRequest> requests) {
                requests.disableAutoRequestWithInitial(0);
                started.complete(requests);
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
        });
        ClientCallStreamObserver<StreamEventsRequest> requests = started.get(30, TimeUnit.SECONDS);

        int sent = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sent < total && System.nanoTime() < deadline) {
            if (requests.isReady()) {
                StreamEventsRequest.Builder batch = StreamEventsRequest.newBuilder().setBatchId("f" + sent);
                for (int i = 0; i < 5; i++) {
                    batch.addEvents(event("c", "f-" + sent + "-" + i, "api-call", "2024-05-01T10:00:00Z")
                            .setProperties(struct(Map.of("blob", string(blob)))));
                }
                requests.onNext(batch.build());
                sent++;
            } else {
                Thread.sleep(5);
            }
        }
        assertThat(sent).as("the transport stopped taking batches while the acknowledgements went unread")
                .isLessThan(total);
        long committed = settledCount();
        assertThat(committed).as("the server stopped committing: it reads no further than it can acknowledge")
                .isLessThan(sent * 5L);

        requests.request(Integer.MAX_VALUE);
        for (int b = sent; b < total; b++) {
            awaitReady(requests);
            requests.onNext(StreamEventsRequest.newBuilder().setBatchId("f" + b)
                    .addEvents(event("c", "f-" + b, "api-call", "2024-05-01T10:00:00Z")).build());
        }
        requests.onCompleted();
        assertThat(ended.get(60, TimeUnit.SECONDS)).isNull();
        assertThat(acks).hasSize(total);
        assertThat(acks).extracting(StreamEventsResponse::getBatchSequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, total).boxed().toList());
    }

    private static void awaitReady(ClientCallStreamObserver<?> requests) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!requests.isReady()) {
            assertThat(System.nanoTime()).as("the stream is ready for writing again within %s", WAIT)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** The number of stored events once it stops changing for half a second. */
    private long settledCount() throws InterruptedException {
        long previous = -1;
        long now = reader.listEvents(ListEventsRequest.newBuilder().setLimit(1).build()).getTotal();
        while (now != previous) {
            Thread.sleep(500);
            previous = now;
            now = reader.listEvents(ListEventsRequest.newBuilder().setLimit(1).build()).getTotal();
        }
        return now;
    }

    private void assertReadableNow(StreamEventsResponse ack) {
        for (EventResult result : ack.getResultsList()) {
            assertThat(reader.getEvent(GetEventRequest.newBuilder().setId(result.getEvent().getId()).build()))
                    .isEqualTo(result.getEvent());
        }
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
