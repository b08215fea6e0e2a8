package dev.usageevents.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The status a failed call ends with. Bad input is INVALID_ARGUMENT with a {@code google.rpc.BadRequest} that names
 * every bad field by its path in the request; a missing event is NOT_FOUND with a {@code google.rpc.ResourceInfo};
 * a store that cannot commit is UNAVAILABLE. Anything else is a defect of the service: INTERNAL, logged, with no
 * detail sent to the client.
 */
final class GrpcErrors {

    static final String DOMAIN = "usage-events";
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    /** Answers a unary call with what {@code work} returns, or with the status of what it throws. */
    static <T> void answer(StreamObserver<T> responses, FieldPaths paths, Supplier<T> work) {
        T response;
        try {
            response = work.get();
        } catch (RuntimeException e) {
            responses.onError(of(e, paths));
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }

    /** The status for a failure (or a failed stage's) of a call whose request fields sit at {@code paths}. */
    static StatusRuntimeException of(Throwable failure, FieldPaths paths) {
        if (failure instanceof CompletionException wrapper && wrapper.getCause() != null) {
            return of(wrapper.getCause(), paths);
        }
        if (failure instanceof StatusRuntimeException status) {
            return status;
        }
        if (failure instanceof InvalidInputException invalid) {
            return invalidArgument(invalid, paths, "", null);
        }
        if (failure instanceof StoreUnavailableException unavailable) {
            return Status.UNAVAILABLE
                    .withDescription("The event store cannot commit now; " + unavailable.callerAdvice() + ".")
                    .asRuntimeException();
        }
        LOG.error("gRPC call failed", failure);
        return Status.INTERNAL.withDescription("Internal error").asRuntimeException();
    }

    /**
     * INVALID_ARGUMENT naming every bad field. {@code context} prefixes the message (e.g. which batch of a stream);
     * {@code info}, when given, is added to the details.
     */
    static StatusRuntimeException invalidArgument(InvalidInputException invalid, FieldPaths paths, String context,
            ErrorInfo info) {
        BadRequest.Builder badRequest = BadRequest.newBuilder();
        for (FieldError error : invalid.errors()) {
            badRequest.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                    .setField(paths.of(error)).setDescription(error.message()));
        }
        String message = context + invalid.errors().stream()
                .map(e -> paths.of(e) + ": " + e.message())
                .collect(Collectors.joining("; "));
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(message)
                .addDetails(Any.pack(badRequest.build()));
        if (info != null) {
            status.addDetails(Any.pack(info));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** NOT_FOUND for an event id the caller's account does not hold. */
    static StatusRuntimeException eventNotFound(String id) {
        return notFound("usage.v1.UsageEvent", "No usage event " + id, id);
    }

    /** NOT_FOUND for a meter id the caller's account does not hold live. */
    static StatusRuntimeException meterNotFound(String id) {
        return notFound("usage.v1.Meter", "No meter " + id, id);
    }

    /** NOT_FOUND with a {@code ResourceInfo} detail naming the resource asked for. */
    private static StatusRuntimeException notFound(String resourceType, String message, String id) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.NOT_FOUND_VALUE)
                .setMessage(message)
                .addDetails(Any.pack(ResourceInfo.newBuilder()
                        .setResourceType(resourceType).setResourceName(id).setDescription(message).build()))
                .build());
    }

    /** The ErrorInfo of a rejected batch of a stream: its position and the client's label. */
    static ErrorInfo batchInfo(long sequence, String batchId) {
        return ErrorInfo.newBuilder().setReason("INVALID_BATCH").setDomain(DOMAIN)
                .putAllMetadata(Map.of("batch_sequence", Long.toString(sequence), "batch_id", batchId))
                .build();
    }
}
