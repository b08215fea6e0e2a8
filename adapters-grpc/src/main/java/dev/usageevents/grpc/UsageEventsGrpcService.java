package dev.usageevents.grpc;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.QueryUsageEvents;
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
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import java.util.List;
import java.util.UUID;
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

    UsageEventsGrpcService(IngestUsageEvents ingest, QueryUsageEvents query) {
        this.ingest = ingest;
        this.query = query;
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
        answer(responses, FieldPaths.single("event"), () -> {
            IngestOutcome outcome = ingest.ingest(UsageEventProtoMapper.command(CallerAccount.current(),
                    request.getSupersedeRule(), List.of(request.getEvent()))).get(0);
            return IngestEventResponse.newBuilder().setResult(UsageEventProtoMapper.result(outcome)).build();
        });
    }

    @Override
    @Blocking
    public void ingestEvents(IngestEventsRequest request, StreamObserver<IngestEventsResponse> responses) {
        answer(responses, FieldPaths.batch("events"), () -> {
            List<IngestOutcome> outcomes = ingest.ingest(UsageEventProtoMapper.command(CallerAccount.current(),
                    request.getSupersedeRule(), request.getEventsList()));
            return IngestEventsResponse.newBuilder().addAllResults(UsageEventProtoMapper.results(outcomes)).build();
        });
    }

    @Override
    @Blocking
    public StreamObserver<StreamEventsRequest> streamEvents(StreamObserver<StreamEventsResponse> responses) {
        return new BatchStream(ingest, CallerAccount.current(),
                (ServerCallStreamObserver<StreamEventsResponse>) responses);
    }

    @Override
    @Blocking
    public void getEvent(GetEventRequest request, StreamObserver<UsageEvent> responses) {
        answer(responses, FieldPaths.request(), () -> {
            AccountId account = CallerAccount.current();
            UUID id = UsageEventProtoMapper.eventId(request.getId());
            return query.get(account, id).map(UsageEventProtoMapper::event)
                    .orElseThrow(() -> GrpcErrors.eventNotFound(request.getId()));
        });
    }

    @Override
    @Blocking
    public void listEvents(ListEventsRequest request, StreamObserver<ListEventsResponse> responses) {
        answer(responses, FieldPaths.request(), () -> {
            AccountId account = CallerAccount.current();
            return UsageEventProtoMapper.page(query.list(account, UsageEventProtoMapper.query(request)));
        });
    }

    private static <T> void answer(StreamObserver<T> responses, FieldPaths paths, Supplier<T> work) {
        T response;
        try {
            response = work.get();
        } catch (RuntimeException e) {
            responses.onError(GrpcErrors.of(e, paths));
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }
}
