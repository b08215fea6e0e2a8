package dev.usageevents.grpc;

import static dev.usageevents.grpc.GrpcTesting.event;
import static dev.usageevents.grpc.GrpcTesting.failure;
import static dev.usageevents.grpc.GrpcTesting.number;
import static dev.usageevents.grpc.GrpcTesting.string;
import static dev.usageevents.grpc.GrpcTesting.struct;
import static dev.usageevents.grpc.GrpcTesting.unique;
import static dev.usageevents.grpc.GrpcTesting.violations;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.Timestamps;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.grpc.v1.EventInput;
import dev.usageevents.grpc.v1.EventResult;
import dev.usageevents.grpc.v1.GetEventRequest;
import dev.usageevents.grpc.v1.IngestEventRequest;
import dev.usageevents.grpc.v1.IngestEventsRequest;
import dev.usageevents.grpc.v1.IngestEventsResponse;
import dev.usageevents.grpc.v1.ListEventsRequest;
import dev.usageevents.grpc.v1.Outcome;
import dev.usageevents.grpc.v1.Source;
import dev.usageevents.grpc.v1.SupersedeRule;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc.UsageEventsServiceBlockingStub;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The unary ingest calls through their stubs, over the domain's services on in-memory stores. */
class GrpcIngestTest {

    static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    InProcessGrpc grpc;
    AccountCredentials account;
    UsageEventsServiceBlockingStub stub;

    @BeforeEach
    void newAccount() {
        grpc = InProcessGrpc.start();
        account = grpc.account("grpc-ingest");
        stub = grpc.blocking(account);
    }

    @AfterEach
    void close() {
        grpc.close();
    }

    @Test
    void ingestsOneEventAndAnswersWithTheStoredVersion() {
        Struct properties = struct(Map.of(
                "count", number(500),
                "ratio", number(0.25),
                "plan", string("pro"),
                "tags", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(number(1)).addValues(string("x"))
                        .addValues(Value.newBuilder().setBoolValue(true))
                        .addValues(Value.newBuilder().setNullValue(NullValue.NULL_VALUE))).build()));
        EventResult result = stub.ingestEvent(IngestEventRequest.newBuilder()
                .setEvent(event("cust-1", "evt-1", "message-sent", "2024-05-01T10:15:30.123Z")
                        .setProperties(properties))
                .build()).getResult();

        assertThat(result.getOutcome()).isEqualTo(Outcome.OUTCOME_CREATED);
        assertThat(result.getSupersededId()).isEmpty();
        dev.usageevents.grpc.v1.UsageEvent event = result.getEvent();
        assertThat(event.getId()).matches(UUID_V7);
        assertThat(event.getAccountId()).isEqualTo(account.account().id().value().toString());
        assertThat(event.getCustomerId()).isEqualTo("cust-1");
        assertThat(event.getEventId()).isEqualTo("evt-1");
        assertThat(event.getEventName()).isEqualTo("message-sent");
        assertThat(Timestamps.toString(event.getTimestamp())).isEqualTo("2024-05-01T10:15:30.123Z");
        assertThat(event.getSource()).isEqualTo(Source.SOURCE_GRPC);
        assertThat(event.hasReceivedAt()).isTrue();
        assertThat(event.getSupersededBy()).isEmpty();
        assertThat(event.hasSupersededAt()).isFalse();
        assertThat(event.getProperties()).isEqualTo(properties);

        assertThat(stub.getEvent(GetEventRequest.newBuilder().setId(event.getId()).build())).isEqualTo(event);
    }

    @Test
    void storesWholeNumbersAsJsonIntegers() {
        String id = stub.ingestEvent(IngestEventRequest.newBuilder()
                .setEvent(event("cust-1", null, "tokens", "2024-05-01T10:00:00Z").setProperties(struct(Map.of(
                        "count", number(500), "negative", number(-3), "half", number(2.5),
                        "huge", number(1e20)))))
                .build()).getResult().getEvent().getId();

        UsageEvent stored = grpc.domain.usageEvents.get(account.account().id(), UUID.fromString(id)).orElseThrow();
        assertThat(stored.properties().values().get("count")).isInstanceOfAny(Integer.class, Long.class)
                .hasToString("500");
        assertThat(stored.properties().values().get("negative")).hasToString("-3");
        assertThat(stored.properties().values().get("half")).hasToString("2.5");
        assertThat(stored.properties().toJson())
                .contains("\"count\":500", "\"negative\":-3", "\"half\":2.5", "\"huge\":100000000000000000000")
                .doesNotContain("500.0");
    }

    @Test
    void generatesTheEventIdAndTimestampWhenNotGiven() {
        Instant before = Instant.now().minusSeconds(1);
        dev.usageevents.grpc.v1.UsageEvent event = stub.ingestEvent(IngestEventRequest.newBuilder()
                .setEvent(EventInput.newBuilder().setCustomerId("cust-1").setEventName("api-call"))
                .build()).getResult().getEvent();

        assertThat(event.getEventId()).isNotEmpty();
        assertThat(Instant.ofEpochMilli(Timestamps.toMillis(event.getTimestamp()))).isAfter(before);
        assertThat(event.getTimestamp()).isEqualTo(event.getReceivedAt());
        assertThat(event.getProperties()).isEqualTo(Struct.getDefaultInstance());
    }

    @Test
    void answersABatchWithOneResultPerEventInOrderAndTreatsARetryAsAReplay() {
        IngestEventsRequest batch = IngestEventsRequest.newBuilder()
                .addEvents(event("cust-1", "a", "api-call", "2024-05-01T10:00:00Z"))
                .addEvents(event("cust-1", "b", "api-call", "2024-05-01T10:00:01Z"))
                .addEvents(event("cust-2", "c", "storage", "2024-05-01T10:00:02Z")
                        .setProperties(struct(Map.of("gb", number(3)))))
                .build();

        List<EventResult> first = stub.ingestEvents(batch).getResultsList();
        assertThat(first).extracting(EventResult::getOutcome).containsOnly(Outcome.OUTCOME_CREATED);
        assertThat(first).extracting(r -> r.getEvent().getEventId()).containsExactly("a", "b", "c");

        List<EventResult> retry = stub.ingestEvents(batch).getResultsList();
        assertThat(retry).extracting(EventResult::getOutcome).containsOnly(Outcome.OUTCOME_REPLAY);
        assertThat(retry).extracting(r -> r.getEvent().getId())
                .containsExactlyElementsOf(first.stream().map(r -> r.getEvent().getId()).toList());
        assertThat(stub.listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isEqualTo(3);
    }

    @Test
    void theLastEventWinsByDefault() {
        EventResult first = ingest(event("cust-1", "k", "seats", "2024-05-01T10:00:00Z")
                .setProperties(struct(Map.of("seats", number(1)))), SupersedeRule.SUPERSEDE_RULE_UNSPECIFIED);
        EventResult second = ingest(event("cust-1", "k", "seats", "2024-05-01T10:00:00Z")
                .setProperties(struct(Map.of("seats", number(2)))), SupersedeRule.SUPERSEDE_RULE_UNSPECIFIED);
        EventResult third = ingest(event("cust-1", "k", "seats", "2024-05-01T11:00:00Z")
                .setProperties(struct(Map.of("seats", number(3)))), SupersedeRule.SUPERSEDE_RULE_LAST_WINS);

        assertThat(second.getOutcome()).isEqualTo(Outcome.OUTCOME_SUPERSEDED_PREVIOUS);
        assertThat(second.getSupersededId()).isEqualTo(first.getEvent().getId());
        assertThat(third.getOutcome()).isEqualTo(Outcome.OUTCOME_SUPERSEDED_PREVIOUS);
        assertThat(third.getSupersededId()).isEqualTo(second.getEvent().getId());

        dev.usageevents.grpc.v1.UsageEvent replaced =
                stub.getEvent(GetEventRequest.newBuilder().setId(first.getEvent().getId()).build());
        assertThat(replaced.getSupersededBy()).isEqualTo(second.getEvent().getId());
        assertThat(replaced.hasSupersededAt()).isTrue();

        var current = stub.listEvents(ListEventsRequest.newBuilder().setEventId("k").build());
        assertThat(current.getTotal()).isEqualTo(1);
        assertThat(current.getEvents(0).getId()).isEqualTo(third.getEvent().getId());
        assertThat(current.getEvents(0).getProperties().getFieldsOrThrow("seats").getNumberValue()).isEqualTo(3);
        assertThat(stub.listEvents(ListEventsRequest.newBuilder().setEventId("k").setIncludeSuperseded(true).build())
                .getTotal()).isEqualTo(3);
    }

    @Test
    void theFirstEventWinsWhenTheRequestAsks() {
        EventResult first = ingest(event("cust-1", "k", "seats", "2024-05-01T10:00:00Z")
                .setProperties(struct(Map.of("seats", number(1)))), SupersedeRule.SUPERSEDE_RULE_FIRST_WINS);
        EventResult second = ingest(event("cust-1", "k", "seats", "2024-05-01T10:00:00Z")
                .setProperties(struct(Map.of("seats", number(2)))), SupersedeRule.SUPERSEDE_RULE_FIRST_WINS);

        assertThat(first.getOutcome()).isEqualTo(Outcome.OUTCOME_CREATED);
        assertThat(second.getOutcome()).isEqualTo(Outcome.OUTCOME_DUPLICATE_IGNORED);
        assertThat(second.getEvent()).isEqualTo(first.getEvent());
        var listed = stub.listEvents(ListEventsRequest.newBuilder().setEventId("k").setIncludeSuperseded(true).build());
        assertThat(listed.getTotal()).isEqualTo(1);
        assertThat(listed.getEvents(0).getProperties().getFieldsOrThrow("seats").getNumberValue()).isEqualTo(1);
    }

    @Test
    void aLaterEventOfTheSameBatchSupersedesAnEarlierOne() {
        List<EventResult> results = stub.ingestEvents(IngestEventsRequest.newBuilder()
                .addEvents(event("cust-1", "k", "seats", "2024-05-01T10:00:00Z")
                        .setProperties(struct(Map.of("seats", number(1)))))
                .addEvents(event("cust-1", "k", "seats", "2024-05-01T10:00:00Z")
                        .setProperties(struct(Map.of("seats", number(2)))))
                .build()).getResultsList();

        assertThat(results).extracting(EventResult::getOutcome)
                .containsExactly(Outcome.OUTCOME_CREATED, Outcome.OUTCOME_SUPERSEDED_PREVIOUS);
        assertThat(results.get(1).getSupersededId()).isEqualTo(results.get(0).getEvent().getId());
    }

    @Test
    void rejectsABadBatchWholeNamingEveryBadFieldWithItsIndex() {
        String customer = unique("cust");
        var e = failure(Status.Code.INVALID_ARGUMENT, () -> stub.ingestEvents(IngestEventsRequest.newBuilder()
                .addEvents(event(customer, "ok", "api-call", "2024-05-01T10:00:00Z"))
                .addEvents(event("", "empty-customer", "api-call", "2024-05-01T10:00:00Z"))
                .addEvents(event(customer, "long-name", "n".repeat(256), "2024-05-01T10:00:00Z"))
                .addEvents(event(customer, "old", "api-call", "1999-12-31T23:59:59Z"))
                .build()));

        assertThat(violations(e)).containsOnlyKeys("events[1].customer_id", "events[2].event_name",
                "events[3].timestamp");
        assertThat(e.getStatus().getDescription()).contains("events[1].customer_id");
        assertThat(stub.listEvents(ListEventsRequest.newBuilder().setCustomerId(customer).build()).getTotal())
                .as("nothing of a rejected batch is stored").isZero();
    }

    @Test
    void aBatchHoldsOneToAThousandEvents() {
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> stub.ingestEvents(IngestEventsRequest.getDefaultInstance())))).containsOnlyKeys("events");

        IngestEventsRequest.Builder tooMany = IngestEventsRequest.newBuilder();
        for (int i = 0; i < 1001; i++) {
            tooMany.addEvents(event("cust-1", "e" + i, "api-call", "2024-05-01T10:00:00Z"));
        }
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT, () -> stub.ingestEvents(tooMany.build()))))
                .containsOnlyKeys("events");

        IngestEventsRequest.Builder thousand = IngestEventsRequest.newBuilder();
        for (int i = 0; i < 1000; i++) {
            thousand.addEvents(event("cust-1", "e" + i, "api-call", "2024-05-01T10:00:00Z"));
        }
        assertThat(stub.ingestEvents(thousand.build()).getResultsCount()).isEqualTo(1000);
    }

    @Test
    void rejectsBadEventsWithInvalidArgumentNamingTheField() {
        assertThat(invalid(event("", "x", "api-call", "2024-05-01T10:00:00Z"))).containsOnlyKeys("event.customer_id");
        assertThat(invalid(event("c", "", "api-call", "2024-05-01T10:00:00Z"))).containsOnlyKeys("event.event_id");
        assertThat(invalid(event("c", "x", "bad\u0007name", "2024-05-01T10:00:00Z")))
                .containsOnlyKeys("event.event_name");
        assertThat(invalid(event("c", "x", "api-call", "2024-05-01T10:00:00Z")
                .setTimestamp(Timestamps.fromMillis(Instant.now().plusSeconds(7200).toEpochMilli()))))
                .containsOnlyKeys("event.timestamp");
        assertThat(invalid(event("c", "x", "api-call", "2024-05-01T10:00:00Z")
                .setTimestamp(Timestamp.newBuilder().setSeconds(1_714_557_600L).setNanos(-1))))
                .containsOnlyKeys("event.timestamp");
        assertThat(invalid(event("c", "x", "api-call", "2024-05-01T10:00:00Z")
                .setProperties(struct(Map.of("ratio", number(Double.NaN))))))
                .containsOnlyKeys("event.properties.ratio");
        assertThat(invalid(event("c", "x", "api-call", "2024-05-01T10:00:00Z")
                .setProperties(struct(Map.of("big", number(Double.POSITIVE_INFINITY))))))
                .containsOnlyKeys("event.properties.big");
        assertThat(invalid(event("c", "x", "api-call", "2024-05-01T10:00:00Z")
                .setProperties(struct(Map.of("text", string("nul\u0000byte"))))))
                .containsOnlyKeys("event.properties.text");
        assertThat(invalid(event("c", "x", "api-call", "2024-05-01T10:00:00Z")
                .setProperties(struct(Map.of("unset", Value.getDefaultInstance())))))
                .containsOnlyKeys("event.properties.unset");
        assertThat(invalid(event("c", "x", "api-call", "2024-05-01T10:00:00Z").setProperties(nested(17))))
                .hasSize(1).allSatisfy((field, message) -> {
                    assertThat(field).startsWith("event.properties.level");
                    assertThat(message).contains("16");
                });
        assertThat(stub.ingestEvent(IngestEventRequest.newBuilder()
                .setEvent(event("c", "deep-ok", "api-call", "2024-05-01T10:00:00Z").setProperties(nested(16)))
                .build()).getResult().getOutcome()).isEqualTo(Outcome.OUTCOME_CREATED);

        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> stub.ingestEvent(IngestEventRequest.getDefaultInstance())))).containsOnlyKeys("event");
        assertThat(violations(failure(Status.Code.INVALID_ARGUMENT, () -> stub.ingestEvent(IngestEventRequest
                .newBuilder().setEvent(event("c", "x", "api-call", "2024-05-01T10:00:00Z"))
                .setSupersedeRuleValue(99).build())))).containsOnlyKeys("supersede_rule");
    }

    @Test
    void aMessageProtobufCannotParseIsInvalidArgumentToo() {
        StatusRuntimeException tooDeep = failure(Status.Code.INVALID_ARGUMENT, () -> stub.ingestEvent(
                IngestEventRequest.newBuilder().setEvent(event("c", "x", "api-call", "2024-05-01T10:00:00Z")
                        .setProperties(nested(60))).build()));
        assertThat(tooDeep.getStatus().getDescription()).contains("cannot be parsed", "16 levels");

        MethodDescriptor<byte[], IngestEventsResponse> raw = UsageEventsServiceGrpc.getIngestEventsMethod()
                .toBuilder(RAW, UsageEventsServiceGrpc.getIngestEventsMethod().getResponseMarshaller()).build();
        byte[] garbage = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01};
        var channel = ClientInterceptors.intercept(grpc.channel,
                InProcessGrpc.authorization(InProcessGrpc.basic(account)));
        assertThat(failure(Status.Code.INVALID_ARGUMENT, () -> ClientCalls.blockingUnaryCall(
                channel, raw, CallOptions.DEFAULT, garbage))
                .getStatus().getDescription()).contains("cannot be parsed");

        assertThat(stub.listEvents(ListEventsRequest.getDefaultInstance()).getTotal()).isZero();
    }

    static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            throw new UnsupportedOperationException("requests only");
        }
    };

    @Test
    void rejectsPropertiesOver32KiB() {
        assertThat(invalid(event("c", "x", "api-call", "2024-05-01T10:00:00Z")
                .setProperties(struct(Map.of("blob", string("x".repeat(33 * 1024)))))))
                .containsOnlyKeys("event.properties");
    }

    private EventResult ingest(EventInput.Builder event, SupersedeRule rule) {
        return stub.ingestEvent(IngestEventRequest.newBuilder().setEvent(event).setSupersedeRule(rule).build())
                .getResult();
    }

    private Map<String, String> invalid(EventInput.Builder event) {
        return violations(failure(Status.Code.INVALID_ARGUMENT,
                () -> stub.ingestEvent(IngestEventRequest.newBuilder().setEvent(event).build())));
    }

    /** A Struct whose objects nest {@code depth} levels deep, the outermost object counting as one. */
    static Struct nested(int depth) {
        Struct struct = struct(Map.of("leaf", number(1)));
        for (int level = depth - 1; level >= 1; level--) {
            struct = struct(Map.of("level" + level, Value.newBuilder().setStructValue(struct).build()));
        }
        return struct;
    }
}
