package dev.usageevents.grpc;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.grpc.v1.StreamEventsRequest;
import dev.usageevents.grpc.v1.StreamEventsResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * One StreamEvents call: each batch is committed, then acknowledged, in the order sent.
 *
 * <p>Flow control is demand-driven. Automatic inbound flow control is off, and the service asks the transport for
 * exactly one batch at a time: the next one only after the previous batch is committed and its acknowledgement
 * handed to the transport, and only while the transport is ready to send more (a client that does not read its
 * acknowledgements is not read from either). Without demand, the transport reads a bounded number of messages
 * ahead (Vert.x pauses the HTTP/2 stream once 16 decoded messages wait) and then stops returning HTTP/2
 * flow-control window, so the rest stays in the client: however fast it writes, a stream costs the server a
 * bounded amount of memory, and the client sees {@code isReady() == false} / {@code write()} returning false.
 * (Quarkus' Mutiny bridge would not do: it feeds incoming messages into an unbounded processor, whatever the
 * downstream demand.)
 *
 * <p>gRPC delivers the callbacks of one call one at a time (Quarkus runs them in order on worker threads, as the
 * service's methods are blocking); the fields are volatile because consecutive callbacks may run on different
 * threads.
 */
final class BatchStream implements StreamObserver<StreamEventsRequest> {

    private final IngestUsageEvents ingest;
    private final AccountId account;
    private final ServerCallStreamObserver<StreamEventsResponse> responses;
    private volatile long sequence;
    private volatile boolean finished;
    private volatile boolean awaitingReady;

    BatchStream(IngestUsageEvents ingest, AccountId account, ServerCallStreamObserver<StreamEventsResponse> responses) {
        this.ingest = ingest;
        this.account = account;
        this.responses = responses;
        responses.disableAutoRequest();
        responses.setOnReadyHandler(this::onReady);
        responses.setOnCancelHandler(() -> finished = true);
        responses.request(1);
    }

    @Override
    public void onNext(StreamEventsRequest batch) {
        if (finished) {
            return;
        }
        long position = sequence++;
        List<IngestOutcome> outcomes;
        try {
            outcomes = ingest.ingest(UsageEventProtoMapper.command(account, batch.getSupersedeRule(),
                    batch.getEventsList()));
        } catch (InvalidInputException e) {
            finish(GrpcErrors.invalidArgument(e, FieldPaths.batch("events"),
                    "batch " + position + describe(batch.getBatchId()) + " rejected, the stream ends: ",
                    GrpcErrors.batchInfo(position, batch.getBatchId())));
            return;
        } catch (RuntimeException e) {
            finish(GrpcErrors.of(e, FieldPaths.batch("events")));
            return;
        }
        responses.onNext(StreamEventsResponse.newBuilder()
                .setBatchId(batch.getBatchId())
                .setBatchSequence(position)
                .addAllResults(UsageEventProtoMapper.results(outcomes))
                .build());
        if (responses.isReady()) {
            responses.request(1);
        } else {
            awaitingReady = true;
        }
    }

    private void onReady() {
        if (awaitingReady && !finished) {
            awaitingReady = false;
            responses.request(1);
        }
    }

    private static String describe(String batchId) {
        return batchId.isEmpty() ? "" : " (batch_id '" + batchId + "')";
    }

    private void finish(Throwable status) {
        finished = true;
        responses.onError(status);
    }

    @Override
    public void onError(Throwable t) {
        finished = true;
    }

    @Override
    public void onCompleted() {
        if (!finished) {
            finished = true;
            responses.onCompleted();
        }
    }
}
