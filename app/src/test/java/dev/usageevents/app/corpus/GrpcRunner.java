package dev.usageevents.app.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.usageevents.grpc.v1.CreateMeterRequest;
import dev.usageevents.grpc.v1.DeleteMeterRequest;
import dev.usageevents.grpc.v1.GetEventRequest;
import dev.usageevents.grpc.v1.GetMeterRequest;
import dev.usageevents.grpc.v1.IngestEventRequest;
import dev.usageevents.grpc.v1.IngestEventsRequest;
import dev.usageevents.grpc.v1.ListEventsRequest;
import dev.usageevents.grpc.v1.ListMetersRequest;
import dev.usageevents.grpc.v1.QueryMeterRequest;
import dev.usageevents.grpc.v1.StreamEventsRequest;
import dev.usageevents.grpc.v1.UpdateMeterRequest;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import dev.usageevents.grpc.v1.UsageMetersServiceGrpc;
import dev.usageevents.grpc.v1.VoidEventsRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.restassured.RestAssured;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sends the gRPC cases of the corpus as bytes, and checks the status each call ends with. */
final class GrpcRunner {

    private static final long DEADLINE_SECONDS = 60;
    private static final Pattern INDEXED = Pattern.compile("([a-z_]+)\\[(\\d+)]");
    private static final Set<Status.Code> NEVER = Set.of(Status.Code.UNKNOWN, Status.Code.INTERNAL, Status.Code.OK);

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final Map<String, MethodDescriptor<?, ?>> METHODS = Map.ofEntries(
            Map.entry("IngestEvent", UsageEventsServiceGrpc.getIngestEventMethod()),
            Map.entry("IngestEvents", UsageEventsServiceGrpc.getIngestEventsMethod()),
            Map.entry("StreamEvents", UsageEventsServiceGrpc.getStreamEventsMethod()),
            Map.entry("GetEvent", UsageEventsServiceGrpc.getGetEventMethod()),
            Map.entry("ListEvents", UsageEventsServiceGrpc.getListEventsMethod()),
            Map.entry("VoidEvents", UsageEventsServiceGrpc.getVoidEventsMethod()),
            Map.entry("CreateMeter", UsageMetersServiceGrpc.getCreateMeterMethod()),
            Map.entry("GetMeter", UsageMetersServiceGrpc.getGetMeterMethod()),
            Map.entry("ListMeters", UsageMetersServiceGrpc.getListMetersMethod()),
            Map.entry("UpdateMeter", UsageMetersServiceGrpc.getUpdateMeterMethod()),
            Map.entry("DeleteMeter", UsageMetersServiceGrpc.getDeleteMeterMethod()),
            Map.entry("QueryMeter", UsageMetersServiceGrpc.getQueryMeterMethod()));

    private static final Map<String, Message> REQUESTS = Map.ofEntries(
            Map.entry("IngestEvent", IngestEventRequest.getDefaultInstance()),
            Map.entry("IngestEvents", IngestEventsRequest.getDefaultInstance()),
            Map.entry("StreamEvents", StreamEventsRequest.getDefaultInstance()),
            Map.entry("GetEvent", GetEventRequest.getDefaultInstance()),
            Map.entry("ListEvents", ListEventsRequest.getDefaultInstance()),
            Map.entry("VoidEvents", VoidEventsRequest.getDefaultInstance()),
            Map.entry("CreateMeter", CreateMeterRequest.getDefaultInstance()),
            Map.entry("GetMeter", GetMeterRequest.getDefaultInstance()),
            Map.entry("ListMeters", ListMetersRequest.getDefaultInstance()),
            Map.entry("UpdateMeter", UpdateMeterRequest.getDefaultInstance()),
            Map.entry("DeleteMeter", DeleteMeterRequest.getDefaultInstance()),
            Map.entry("QueryMeter", QueryMeterRequest.getDefaultInstance()));

    private final BadInputCorpusTest.Fixtures fixtures;

    GrpcRunner(BadInputCorpusTest.Fixtures fixtures) {
        this.fixtures = fixtures;
    }

    void run(Corpus.Case c) throws Exception {
        JsonNode spec = c.spec();
        String method = spec.get("method").asText();
        MethodDescriptor<?, ?> typed = METHODS.get(method);
        assertThat(typed).as("%s: no RPC %s", c.name(), method).isNotNull();
        List<byte[]> messages = messages(spec, REQUESTS.get(method));
        Metadata metadata = metadata(spec);

        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext()
                .maxInboundMessageSize(16 * 1024 * 1024).build();
        StatusRuntimeException failure;
        try {
            Channel withMetadata = ClientInterceptors.intercept(channel,
                    MetadataUtils.newAttachHeadersInterceptor(metadata));
            failure = call(withMetadata, typed, messages);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }

        assertThat(failure).as("%s: the call must fail", c.name()).isNotNull();
        String answer = describe(failure);
        String what = c.name() + " -> " + answer;
        assertThat(failure.getStatus().getCode()).as(what).isNotIn(NEVER)
                .isEqualTo(Status.Code.valueOf(spec.get("code").asText()));
        assertThat(answer).as(what).contains(fixtures.substitute(spec.get("contains").asText()));
    }

    /** The call's status as text: its code, description, and every detail (field violations, resource, reason). */
    static String describe(StatusRuntimeException failure) {
        StringBuilder text = new StringBuilder(failure.getStatus().getCode() + ": "
                + failure.getStatus().getDescription());
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        if (status != null) {
            for (Any detail : status.getDetailsList()) {
                try {
                    if (detail.is(BadRequest.class)) {
                        detail.unpack(BadRequest.class).getFieldViolationsList().forEach(v -> text.append(" | ")
                                .append(v.getField()).append(": ").append(v.getDescription()));
                    } else if (detail.is(ResourceInfo.class)) {
                        text.append(" | resource ").append(detail.unpack(ResourceInfo.class).getResourceName());
                    } else if (detail.is(ErrorInfo.class)) {
                        text.append(" | ").append(detail.unpack(ErrorInfo.class).getMetadataMap());
                    }
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return text.toString();
    }

    private StatusRuntimeException call(Channel channel, MethodDescriptor<?, ?> typed, List<byte[]> messages)
            throws Exception {
        MethodDescriptor<byte[], ?> raw = typed.toBuilder(BYTES, typed.getResponseMarshaller()).build();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (typed.getType() == MethodDescriptor.MethodType.UNARY) {
            try {
                ClientCalls.blockingUnaryCall(channel, raw, options, messages.get(0));
                return null;
            } catch (StatusRuntimeException e) {
                return e;
            }
        }
        return stream(channel.newCall(raw, options), messages);
    }

    /** Sends every message of a stream, then waits for the status it ends with (null when it ends OK). */
    private static <R> StatusRuntimeException stream(ClientCall<byte[], R> call, List<byte[]> messages)
            throws Exception {
        CompletableFuture<StatusRuntimeException> ended = new CompletableFuture<>();
        StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<R>() {
            @Override
            public void onNext(R acknowledgement) {
                // acknowledgements of batches before the bad one; the status the stream ends with is what counts
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t instanceof StatusRuntimeException e ? e : Status.fromThrowable(t).asRuntimeException());
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
        messages.forEach(requests::onNext);
        requests.onCompleted();
        return ended.get(DEADLINE_SECONDS + 5, TimeUnit.SECONDS);
    }

    private Metadata metadata(JsonNode spec) {
        Metadata metadata = new Metadata();
        JsonNode given = spec.has("metadata") ? spec.get("metadata")
                : Corpus.JSON.createObjectNode().put("authorization", "{{basic}}");
        given.fields().forEachRemaining(entry -> metadata.put(
                Metadata.Key.of(entry.getKey(), Metadata.ASCII_STRING_MARSHALLER),
                fixtures.substitute(entry.getValue().asText())));
        return metadata;
    }

    private List<byte[]> messages(JsonNode spec, Message prototype) throws IOException {
        List<byte[]> messages = new ArrayList<>();
        if (spec.has("requestBase64")) {
            messages.add(Base64.getDecoder().decode(spec.get("requestBase64").asText()));
            return messages;
        }
        List<JsonNode> requests = new ArrayList<>();
        if (spec.has("requests")) {
            spec.get("requests").forEach(requests::add);
        } else {
            requests.add(spec.get("request"));
        }
        for (int i = 0; i < requests.size(); i++) {
            Message.Builder builder = prototype.newBuilderForType();
            JsonFormat.parser()
                    .merge(fixtures.substitute(Corpus.json(requests.get(i))), builder);
            for (JsonNode override : spec.path("timestamps")) {
                if (override.path("message").asInt(0) == i) {
                    setTimestamp(builder, override.get("path").asText(), Timestamp.newBuilder()
                            .setSeconds(override.get("seconds").asLong()).setNanos(override.get("nanos").asInt())
                            .build());
                }
            }
            messages.add(builder.build().toByteArray());
        }
        return messages;
    }

    /** Sets the Timestamp at a path of proto field names ({@code events[2].timestamp}) without validating it. */
    private static void setTimestamp(Message.Builder root, String path, Timestamp value) {
        String[] segments = path.split("\\.");
        Message.Builder builder = root;
        for (int i = 0; i < segments.length - 1; i++) {
            Matcher indexed = INDEXED.matcher(segments[i]);
            if (indexed.matches()) {
                FieldDescriptor field = field(builder, indexed.group(1));
                builder = builder.getRepeatedFieldBuilder(field, Integer.parseInt(indexed.group(2)));
            } else {
                builder = builder.getFieldBuilder(field(builder, segments[i]));
            }
        }
        builder.setField(field(builder, segments[segments.length - 1]), value);
    }

    private static FieldDescriptor field(Message.Builder builder, String name) {
        FieldDescriptor field = builder.getDescriptorForType().findFieldByName(name);
        if (field == null) {
            throw new IllegalArgumentException("no field " + name + " in " + builder.getDescriptorForType().getName());
        }
        return field;
    }
}
