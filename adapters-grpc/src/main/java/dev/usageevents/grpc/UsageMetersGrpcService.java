package dev.usageevents.grpc;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ResourceInfo;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.in.ManageMeters;
import dev.usageevents.domain.port.in.MeterNameTakenException;
import dev.usageevents.domain.port.in.QueryMeters;
import dev.usageevents.grpc.v1.CreateMeterRequest;
import dev.usageevents.grpc.v1.DeleteMeterRequest;
import dev.usageevents.grpc.v1.GetMeterRequest;
import dev.usageevents.grpc.v1.ListMetersRequest;
import dev.usageevents.grpc.v1.ListMetersResponse;
import dev.usageevents.grpc.v1.Meter;
import dev.usageevents.grpc.v1.QueryMeterRequest;
import dev.usageevents.grpc.v1.QueryMeterResponse;
import dev.usageevents.grpc.v1.UpdateMeterRequest;
import dev.usageevents.grpc.v1.UsageMetersServiceGrpc;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * usage.v1.UsageMetersService over the domain's meter in-ports: the same credentials as the events service
 * ({@link SequenceCredentialsInterceptor}), bad input as INVALID_ARGUMENT with field paths, a meter of another
 * account (or a deleted one) as NOT_FOUND, a taken name as ALREADY_EXISTS. Every method reads PostgreSQL:
 * {@link Blocking}.
 */
@GrpcService
@RegisterInterceptor(SequenceCredentialsInterceptor.class)
public class UsageMetersGrpcService extends UsageMetersServiceGrpc.UsageMetersServiceImplBase {

    private final ManageMeters meters;
    private final QueryMeters queries;

    UsageMetersGrpcService(ManageMeters meters, QueryMeters queries) {
        this.meters = meters;
        this.queries = queries;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ParsedRequests.of(super.bindService());
    }

    @Override
    @Blocking
    public void createMeter(CreateMeterRequest request, StreamObserver<Meter> responses) {
        GrpcErrors.answer(responses, FieldPaths.meter("meter"), () -> MeterProtoMapper.meter(named(() ->
                meters.create(CallerAccount.current(), MeterProtoMapper.draft(request.getMeter())))));
    }

    @Override
    @Blocking
    public void getMeter(GetMeterRequest request, StreamObserver<Meter> responses) {
        GrpcErrors.answer(responses, FieldPaths.request(), () -> {
            AccountId account = CallerAccount.current();
            UUID id = MeterProtoMapper.meterId(request.getId());
            return meters.get(account, id).map(MeterProtoMapper::meter)
                    .orElseThrow(() -> GrpcErrors.meterNotFound(request.getId()));
        });
    }

    @Override
    @Blocking
    public void listMeters(ListMetersRequest request, StreamObserver<ListMetersResponse> responses) {
        GrpcErrors.answer(responses, FieldPaths.request(), () -> MeterProtoMapper.page(
                meters.list(CallerAccount.current(), MeterProtoMapper.listQuery(request))));
    }

    @Override
    @Blocking
    public void updateMeter(UpdateMeterRequest request, StreamObserver<Meter> responses) {
        GrpcErrors.answer(responses, FieldPaths.meter("meter"), () -> {
            AccountId account = CallerAccount.current();
            UUID id = MeterProtoMapper.meterId(request.getId());
            return named(() -> meters.replace(account, id, MeterProtoMapper.draft(request.getMeter())))
                    .map(MeterProtoMapper::meter).orElseThrow(() -> GrpcErrors.meterNotFound(request.getId()));
        });
    }

    @Override
    @Blocking
    public void deleteMeter(DeleteMeterRequest request, StreamObserver<Meter> responses) {
        GrpcErrors.answer(responses, FieldPaths.request(), () -> {
            AccountId account = CallerAccount.current();
            UUID id = MeterProtoMapper.meterId(request.getId());
            return meters.delete(account, id).map(MeterProtoMapper::meter)
                    .orElseThrow(() -> GrpcErrors.meterNotFound(request.getId()));
        });
    }

    @Override
    @Blocking
    public void queryMeter(QueryMeterRequest request, StreamObserver<QueryMeterResponse> responses) {
        GrpcErrors.answer(responses, FieldPaths.meterQuery(), () -> {
            AccountId account = CallerAccount.current();
            UUID id = MeterProtoMapper.meterId(request.getId());
            return queries.query(account, id, MeterProtoMapper.query(request)).map(MeterProtoMapper::result)
                    .orElseThrow(() -> GrpcErrors.meterNotFound(request.getId()));
        });
    }

    /** A create or replace; a name taken by another live meter of the account is ALREADY_EXISTS. */
    private static <T> T named(Supplier<T> definition) {
        try {
            return definition.get();
        } catch (MeterNameTakenException e) {
            throw Status.ALREADY_EXISTS.withDescription(e.getMessage()).asRuntimeException();
        }
    }
}
