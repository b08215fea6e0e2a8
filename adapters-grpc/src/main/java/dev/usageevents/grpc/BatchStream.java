package dev.usageevents.grpc;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.grpc.v1.EventInput;
import dev.usageevents.grpc.v1.StreamEventsRequest;
import dev.usageevents.grpc.v1.StreamEventsResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One StreamEvents call: each batch is committed, then acknowledged, in the order sent, with up to
 * {@code window} batches committing at once.
 *
 * <p>Pipelining. A batch is validated as soon as it arrives and queued for the next group commit without waiting
 * for the batches before it, so that a stream keeps the writers busy instead of paying one commit after another.
 * Acknowledgements still leave in the order the batches came: a batch committed before an earlier one waits for
 * it. Order matters only where batches share an event id (a later batch superseding an earlier one's event): a
 * batch that names an event id of a batch still committing is held back until that one is committed, and no
 * batch after it is read meanwhile.
 *
 * <p>Failures. A batch that breaks a rule is refused when it arrives, before anything after it is read: the
 * stream ends with INVALID_ARGUMENT once the batches before it are committed and acknowledged; it and the batches
 * after it are not stored. When a commit fails (the database is unavailable), the stream ends with that status
 * after the acknowledgements of the batches before it; a later batch, already committing then, may have been
 * stored without an acknowledgement, and sending it again is safe (an exact replay is recognised, not stored
 * twice).
 *
 * <p>Flow control is demand-driven. Automatic inbound flow control is off: the service asks the transport for the
 * next batch only while fewer than {@code window} batches are unacknowledged and the transport is ready to send
 * more (a client that does not read its acknowledgements is not read from either). Without demand, the transport
 * reads a bounded number of messages ahead (Vert.x pauses the HTTP/2 stream once 16 decoded messages wait) and
 * then stops returning HTTP/2 flow-control window, so the rest stays in the client: however fast it writes, a
 * stream costs the server a bounded amount of memory, and the client sees {@code isReady() == false} /
 * {@code write()} returning false. (Quarkus' Mutiny bridge would not do: it feeds incoming messages into an
 * unbounded processor, whatever the downstream demand.)
 *
 * <p>Threads. gRPC delivers the callbacks of the call one at a time on worker threads; commits complete on the
 * writers' threads, and their acknowledgements are built and sent on {@code workers}. Every piece of state, and
 * every call on {@code responses}, is guarded by this object's lock; validation and the hand-over to the writers
 * happen outside it.
 */
final class BatchStream implements StreamObserver<StreamEventsRequest> {

    /** A batch from its arrival to its acknowledgement. */
    private static final class Batch {
        final long position;
        final String batchId;
        final Set<String> eventIds;
        StreamEventsRequest request;
        boolean held;
        boolean done;
        StreamEventsResponse ack;
        Throwable failure;

        Batch(long position, StreamEventsRequest request) {
            this.position = position;
            this.batchId = request.getBatchId();
            this.request = request;
            this.eventIds = new HashSet<>();
            for (EventInput event : request.getEventsList()) {
                if (!event.getEventId().isEmpty()) {
                    eventIds.add(event.getEventId());
                }
            }
        }
    }

    private final IngestUsageEvents ingest;
    private final AccountId account;
    private final ServerCallStreamObserver<StreamEventsResponse> responses;
    private final int window;
    private final Executor workers;
    private final Deque<Batch> unacknowledged = new ArrayDeque<>();
    private long sequence;
    private int requested;
    private boolean halfClosed;
    private boolean failed;
    private boolean finished;

    BatchStream(IngestUsageEvents ingest, AccountId account, ServerCallStreamObserver<StreamEventsResponse> responses,
            int window, Executor workers) {
        this.ingest = ingest;
        this.account = account;
        this.responses = responses;
        this.window = window;
        this.workers = workers;
        responses.disableAutoRequest();
        responses.setOnReadyHandler(this::requestMore);
        responses.setOnCancelHandler(this::cancelled);
        requestMore();
    }

    @Override
    public void onNext(StreamEventsRequest request) {
        Batch batch;
        synchronized (this) {
            requested = Math.max(0, requested - 1);
            if (finished || failed) {
                return;
            }
            batch = new Batch(sequence++, request);
            unacknowledged.add(batch);
            batch.held = sharesAnEventIdWithABatchCommittingBefore(batch);
            if (batch.held) {
                return;
            }
        }
        submit(batch);
        requestMore();
    }

    /** Validates the batch and hands it to the writers; outside the lock, on a worker thread. */
    private void submit(Batch batch) {
        StreamEventsRequest request;
        synchronized (this) {
            request = batch.request;
            batch.request = null;
        }
        CompletionStage<List<IngestOutcome>> committed;
        try {
            committed = ingest.ingest(UsageEventProtoMapper.command(account, request.getSupersedeRule(),
                    request.getEventsList()));
        } catch (RuntimeException e) {
            done(batch, null, e);
            return;
        }
        committed.whenCompleteAsync((outcomes, failure) -> done(batch, outcomes, failure), workers);
    }

    private void done(Batch batch, List<IngestOutcome> outcomes, Throwable failure) {
        StreamEventsResponse ack = failure != null ? null : StreamEventsResponse.newBuilder()
                .setBatchId(batch.batchId)
                .setBatchSequence(batch.position)
                .addAllResults(UsageEventProtoMapper.results(outcomes))
                .build();
        List<Batch> released = new ArrayList<>();
        synchronized (this) {
            batch.done = true;
            batch.ack = ack;
            batch.failure = failure;
            failed |= failure != null;
            acknowledgeInOrder();
            if (!finished && !failed) {
                for (Batch waiting : unacknowledged) {
                    if (waiting.held && !sharesAnEventIdWithABatchCommittingBefore(waiting)) {
                        waiting.held = false;
                        released.add(waiting);
                    }
                }
            }
        }
        for (Batch waiting : released) {
            submit(waiting);
        }
        requestMore();
    }

    /** Whether a batch before this one in the stream, still committing, names one of its event ids. */
    private boolean sharesAnEventIdWithABatchCommittingBefore(Batch batch) {
        for (Batch earlier : unacknowledged) {
            if (earlier == batch) {
                return false;
            }
            if (!earlier.done && earlier.eventIds.stream().anyMatch(batch.eventIds::contains)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends the acknowledgements (built beforehand, outside the lock) of the committed batches at the head; ends
     * the stream at a failed one.
     */
    private void acknowledgeInOrder() {
        while (!finished && !unacknowledged.isEmpty() && unacknowledged.peek().done) {
            Batch head = unacknowledged.poll();
            if (head.failure != null) {
                finish(status(head));
                return;
            }
            responses.onNext(head.ack);
        }
        if (halfClosed && unacknowledged.isEmpty() && !finished) {
            finished = true;
            responses.onCompleted();
        }
    }

    private static StatusRuntimeException status(Batch batch) {
        if (batch.failure instanceof InvalidInputException invalid) {
            return GrpcErrors.invalidArgument(invalid, FieldPaths.batch("events"),
                    "batch " + batch.position + describe(batch.batchId) + " rejected, the stream ends: ",
                    GrpcErrors.batchInfo(batch.position, batch.batchId));
        }
        return GrpcErrors.of(batch.failure, FieldPaths.batch("events"));
    }

    /**
     * Asks for one more batch while the window has room, the transport can take acknowledgements, and no batch
     * is held back (so that nothing after a held batch is read before it is validated).
     */
    private synchronized void requestMore() {
        if (finished || failed || halfClosed || requested > 0 || unacknowledged.size() >= window
                || !responses.isReady()
                || unacknowledged.stream().anyMatch(b -> b.held)) {
            return;
        }
        requested++;
        responses.request(1);
    }

    private static String describe(String batchId) {
        return batchId.isEmpty() ? "" : " (batch_id '" + batchId + "')";
    }

    private void finish(Throwable status) {
        finished = true;
        unacknowledged.clear();
        responses.onError(status);
    }

    private synchronized void cancelled() {
        finished = true;
        unacknowledged.clear();
    }

    @Override
    public synchronized void onError(Throwable t) {
        cancelled();
    }

    @Override
    public synchronized void onCompleted() {
        halfClosed = true;
        acknowledgeInOrder();
    }
}
