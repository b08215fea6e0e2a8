package dev.usageevents.grpc;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import dev.usageevents.domain.port.in.VoidEvents;
import dev.usageevents.grpc.v1.GetEventRequest;
import dev.usageevents.grpc.v1.IngestEventRequest;
import dev.usageevents.grpc.v1.IngestEventResponse;
import dev.usageevents.grpc.v1.IngestEventsRequest;
import dev.usageevents.grpc.v1.IngestEventsResponse;
import dev.usageevents.grpc.v1.ListEventsRequest;
import dev.usageevents.grpc.v1.ListEventsResponse;
import dev.usageevents.grpc.v1.StreamEventsRequest;
import dev.usageevents.grpc.v1.StreamEventsResponse;
import dev.usageevents.grpc.v1.UsageEvent;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import dev.usageevents.grpc.v1.VoidEventsRequest;
import dev.usageevents.grpc.v1.VoidEventsResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The usage.v1 service, over the domain's in-ports. Every method reads or writes PostgreSQL through JDBC, so every
 * method is {@link Blocking}: Quarkus runs it, and the credentials check before it, on a worker thread, never on
 * the event loop. Calls reach it only with valid credentials ({@link SequenceCredentialsInterceptor}).
 */
@GrpcService
@RegisterInterceptor(SequenceCredentialsInterceptor.class)
public class UsageEventsGrpcService extends UsageEventsServiceGrpc.UsageEventsServiceImplBase {

    private final IngestUsageEvents ingest;
    private final QueryUsageEvents query;
    private final VoidEvents voids;

    private final int streamWindow;

    UsageEventsGrpcService(IngestUsageEvents ingest, QueryUsageEvents query, VoidEvents voids, GrpcConfig config) {
        this.ingest = ingest;
        this.query = query;
        this.voids = voids;
        this.streamWindow = config.streamWindow();
    }

    /** The service, parsing its own requests so that an unparseable one is INVALID_ARGUMENT ({@link ParsedRequests}). */
    @Override
    public ServerServiceDefinition bindService() {
        return ParsedRequests.of(super.bindService());
    }

    @Override
    @Blocking
    public void ingestEvent(IngestEventRequest request, StreamObserver<IngestEventResponse> responses) {
        if (!request.hasEvent()) {
            responses.onError(GrpcErrors.of(InvalidInputException.of("event", "is required"), FieldPaths.request()));
            return;
        }
        answerOnCommit(responses, FieldPaths.single("event"), () -> ingest.ingest(UsageEventProtoMapper.command(
                CallerAccount.current(), request.getSupersedeRule(), List.of(request.getEvent()))),
                outcomes -> IngestEventResponse.newBuilder()
                        .setResult(UsageEventProtoMapper.result(outcomes.get(0))).build());
    }

    @Override
    @Blocking
    public void ingestEvents(IngestEventsRequest request, StreamObserver<IngestEventsResponse> responses) {
        answerOnCommit(responses, FieldPaths.batch("events"), () -> ingest.ingest(UsageEventProtoMapper.command(
                CallerAccount.current(), request.getSupersedeRule(), request.getEventsList())),
                outcomes -> IngestEventsResponse.newBuilder()
                        .addAllResults(UsageEventProtoMapper.results(outcomes)).build());
    }

    @Override
    @Blocking
    public StreamObserver<StreamEventsRequest> streamEvents(StreamObserver<StreamEventsResponse> responses) {
        return new BatchStream(ingest, CallerAccount.current(),
                (ServerCallStreamObserver<StreamEventsResponse>) responses, streamWindow,
                Infrastructure.getDefaultWorkerPool());
    }

    @Override
    @Blocking
    public void getEvent(GetEventRequest request, StreamObserver<UsageEvent> responses) {
        GrpcErrors.answer(responses, FieldPaths.request(), () -> {
            AccountId account = CallerAccount.current();
            UUID id = UsageEventProtoMapper.eventId(request.getId());
            return query.get(account, id).map(UsageEventProtoMapper::event)
                    .orElseThrow(() -> GrpcErrors.eventNotFound(request.getId()));
        });
    }

    @Override
    @Blocking
    public void listEvents(ListEventsRequest request, StreamObserver<ListEventsResponse> responses) {
        GrpcErrors.answer(responses, FieldPaths.request(), () -> {
            AccountId account = CallerAccount.current();
            return UsageEventProtoMapper.page(query.list(account, UsageEventProtoMapper.query(request)));
        });
    }

    /** A last-wins supersede of each event by a copy for the VOID customer; an unknown id names its index. */
    @Override
    @Blocking
    public void voidEvents(VoidEventsRequest request, StreamObserver<VoidEventsResponse> responses) {
        answerOnCommit(responses, e -> e.index() == null ? FieldPaths.protoName(e.field())
                : "event_ids[" + e.index() + "]", () -> voids.voidEvents(CallerAccount.current(), Source.GRPC,
                        request.getEventIdsList()),
                outcomes -> VoidEventsResponse.newBuilder()
                        .addAllResults(UsageEventProtoMapper.results(outcomes)).build());
    }

    /**
     * Validates and queues the write on the calling worker thread, which is then free; the answer is built and
     * sent on a worker thread once the write is committed (or has failed).
     */
    private static <T> void answerOnCommit(StreamObserver<T> responses, FieldPaths paths,
            Supplier<CompletionStage<List<IngestOutcome>>> write, Function<List<IngestOutcome>, T> answer) {
        CompletionStage<List<IngestOutcome>> committed;
        try {
            committed = write.get();
        } catch (RuntimeException e) {
            responses.onError(GrpcErrors.of(e, paths));
            return;
        }
        committed.whenCompleteAsync((outcomes, failure) -> {
            if (failure != null) {
                responses.onError(GrpcErrors.of(failure, paths));
            } else {
                responses.onNext(answer.apply(outcomes));
                responses.onCompleted();
            }
        }, Infrastructure.getDefaultWorkerPool());
    }
}
