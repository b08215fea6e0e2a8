package dev.usageevents.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.Timestamps;
import com.google.rpc.BadRequest;
import dev.usageevents.grpc.v1.EventInput;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Small builders and assertions for the usage.v1 messages. */
final class GrpcTesting {

    private GrpcTesting() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static Timestamp at(String instant) {
        return Timestamps.fromMillis(Instant.parse(instant).toEpochMilli());
    }

    static Value number(double d) {
        return Value.newBuilder().setNumberValue(d).build();
    }

    static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    static Struct struct(Map<String, Value> fields) {
        return Struct.newBuilder().putAllFields(fields).build();
    }

    static EventInput.Builder event(String customer, String eventId, String name, String instant) {
        EventInput.Builder event = EventInput.newBuilder().setCustomerId(customer).setEventName(name)
                .setTimestamp(at(instant));
        if (eventId != null) {
            event.setEventId(eventId);
        }
        return event;
    }

    /** Runs a call that must fail with {@code code}, and returns its status. */
    static StatusRuntimeException failure(Status.Code code, ThrowingCallable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("the call must fail with %s", code).isNotNull();
        assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
        return e;
    }

    /** The field violations of an INVALID_ARGUMENT status, field path to description. */
    static Map<String, String> violations(StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).as("rich error details").isNotNull();
        Map<String, String> fields = new LinkedHashMap<>();
        status.getDetailsList().stream().filter(d -> d.is(BadRequest.class)).forEach(d -> {
            try {
                d.unpack(BadRequest.class).getFieldViolationsList()
                        .forEach(v -> fields.put(v.getField(), v.getDescription()));
            } catch (InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
            }
        });
        assertThat(fields).as("BadRequest field violations").isNotEmpty();
        return fields;
    }
}
