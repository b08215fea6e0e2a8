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
 * <p>Flow control is demand-driven. Automatic inbound flow control is off, and the server asks the transport for
 * exactly one batch at a time: the next one only after the previous batch is committed and its acknowledgement
 * handed to the transport, and only while that transport is ready to send (a client that does not read its
 * acknowledgements stops being read from, too). Batches the server has not asked for stay in the client and in the
 * HTTP/2 flow-control window, so the server holds at most one batch and one acknowledgement per stream, however
 * fast the client writes; the client sees it as {@code isReady() == false} / {@code write()} returning false.
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
