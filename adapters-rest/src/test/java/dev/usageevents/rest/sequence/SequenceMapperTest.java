package dev.usageevents.rest.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.EventQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SequenceMapperTest {

    private static SequenceListParams params(String after, String before) {
        return new SequenceListParams(null, null, null, after, before, null, null, null, null, null);
    }

    /**
     * The formatter-free reading of the usual timestamp shape gives the formatter's answer for every text the
     * formatter accepts, and leaves to it (null) every text it refuses: random instants with 0 to 9 fraction
     * digits and offsets of both signs, and texts near the edges (bad days, hours, offsets, letters' case).
     */
    @Test
    void theCommonTimestampShapeIsReadAsTheFormatterReadsIt() {
        java.util.Random random = new java.util.Random(42);
        List<String> texts = new java.util.ArrayList<>(List.of("2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z",
                "2024-04-31T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z",
                "2024-01-01t00:00:00z", "2024-01-01T00:00:00+18:00", "2024-01-01T00:00:00+18:01",
                "2024-01-01T00:00:00-00:00", "2024-01-01T00:00:00+0200", "2024-01-01T00:00:00+02",
                "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567891Z", "2024-13-01T00:00:00Z",
                "2024-00-10T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-18:00",
                "2024-1-01T00:00:00Z", "+2024-01-01T00:00:00Z", "2024-01-01T00:00Z", "2024-01-01 00:00:00Z",
                "2024-01-01T00:00:00+02:60", "2024-01-01T00:00:00Z ", "２０２４-01-01T00:00:00Z",
                "2024-01-01T00:00:00.１Z", "2024-01-01T00:00:00.٣Z"));
        for (int i = 0; i < 20_000; i++) {
            java.time.OffsetDateTime t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    random.nextInt(1_000_000_000)).atOffset(java.time.ZoneOffset.ofTotalSeconds(
                            (random.nextInt(-18 * 60, 18 * 60 + 1)) * 60));
            String text = t.format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            texts.add(random.nextBoolean() ? text : text.replaceFirst("\\.\\d+", "." + "123456789".substring(0,
                    1 + random.nextInt(9))));
        }
        for (String text : texts) {
            Instant expected;
            try {
                expected = java.time.OffsetDateTime.parse(text, SequenceTimestamps.ISO_8601).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                expected = null;
            }
            Instant fast = SequenceTimestamps.parseCommon(text);
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(expected);
            }
            if (expected == null) {
                assertThat(fast).as(text).isNull();
            }
        }
        assertThat(SequenceTimestamps.parseCommon("2022-10-01T00:00:00Z")).as("the vendor's example")
                .isEqualTo(Instant.parse("2022-10-01T00:00:00Z"));
        assertThat(texts.stream().filter(t -> SequenceTimestamps.parseCommon(t) != null).count())
                .as("texts read without the formatter").isGreaterThan(15_000);
    }

    @Test
    void readsTheVendorsExample() {
        EventDraft draft = SequenceRequests.toDraft(SequenceOpenApiFilter.SEED_REQUEST.getBytes(StandardCharsets.UTF_8));

        assertThat(draft).isEqualTo(new EventDraft("customer-id-2H4u5BBwBWsS5V2sroRFqJfTXpW",
                "event-id-H4twuTWpYx1rkd8OMTki2hTUcZ", "message-sent", Instant.parse("2022-10-01T00:00:00Z"),
                Map.of("length", 500, "type", "text_message")));
        assertThat(draft.properties().get("length")).isInstanceOf(Integer.class);
    }

    @Test
    void writesTheVendorsFieldsInTheVendorsOrder() {
        UUID id = UUID.fromString("0184421a-8202-70ea-a729-30308a40bbf7");
        AccountId account = new AccountId(UUID.fromString("0184421e-a9cc-711b-af93-bf0511d4d833"));
        UsageEvent event = new UsageEvent(id, account, new CustomerId("customer-id-2H4u5BBwBWsS5V2sroRFqJfTXpW"),
                new EventId("event-id-H4twuTWpYx1rkd8OMTki2hTUcZ"), new EventName("message-sent"),
                Instant.parse("2022-10-01T00:00:00Z"), EventProperties.of(Map.of("length", 500)), Source.SEQUENCE,
                Instant.now(), null, null);

        assertThat(SequenceResponses.toSequence(event)).isEqualTo(new SequenceUsageEvent(id.toString(),
                "event-id-H4twuTWpYx1rkd8OMTki2hTUcZ", "customer-id-2H4u5BBwBWsS5V2sroRFqJfTXpW", "message-sent",
                account.toString(), "2022-10-01T00:00:00Z", Map.of("length", 500)));
        assertThat(SequenceUsageEvent.class.getRecordComponents()).extracting(c -> c.getName())
                .containsExactly("id", "customerEventId", "customerAlias", "eventType", "sequenceAccountId",
                        "eventTimestamp", "eventProperties");
    }

    @Test
    void writesUtcWithZAndMillisecondsOnlyWhenNotZero() {
        assertThat(SequenceTimestamps.format(Instant.parse("2022-10-01T00:00:00Z")))
                .isEqualTo("2022-10-01T00:00:00Z");
        assertThat(SequenceTimestamps.format(Instant.parse("2022-10-01T00:00:00.120Z")))
                .isEqualTo("2022-10-01T00:00:00.120Z");
        assertThat(SequenceTimestamps.format(Instant.parse("2022-10-01T00:00:00.000999Z")))
                .isEqualTo("2022-10-01T00:00:00Z");
        assertThat(SequenceTimestamps.parse("2022-10-01T02:00:00.5+02:00"))
                .isEqualTo(Instant.parse("2022-10-01T00:00:00.500Z"));
    }

    @Test
    void turnsExclusiveBoundsIntoInclusiveMilliseconds() {
        EventQuery query = SequenceRequests.toQuery(params("2022-10-01T00:00:00Z", "2022-10-01T00:00:01Z")).orElseThrow();
        assertThat(query.filter().from()).isEqualTo(Instant.parse("2022-10-01T00:00:00.001Z"));
        assertThat(query.filter().to()).isEqualTo(Instant.parse("2022-10-01T00:00:00.999Z"));

        EventQuery fractions = SequenceRequests.toQuery(
                params("2022-10-01T00:00:00.0005Z", "2022-10-01T00:00:00.0025Z")).orElseThrow();
        assertThat(fractions.filter().from()).isEqualTo(Instant.parse("2022-10-01T00:00:00.001Z"));
        assertThat(fractions.filter().to()).isEqualTo(Instant.parse("2022-10-01T00:00:00.002Z"));

        assertThat(SequenceRequests.toQuery(params("2022-10-01T00:00:00Z", "2022-10-01T00:00:00.001Z"))).isEmpty();
        assertThatThrownBy(() -> SequenceRequests.toQuery(params("2022-10-01T00:00:01Z", "2022-10-01T00:00:00Z")))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.first().field()).isEqualTo("eventTimestampAfter"));
    }

    @Test
    void defaultsToNewestFirstTwentyAtATime() {
        Optional<EventQuery> query = SequenceRequests.toQuery(params(null, null));

        assertThat(query).get().extracting(EventQuery::order, EventQuery::limit)
                .containsExactly(SortOrder.DESC, EventQuery.DEFAULT_LIMIT);
        assertThat(query.get().filter().includeSuperseded()).isFalse();
    }

    @Test
    void namesTheDomainsFieldsAsSequenceDoes() {
        InvalidInputException body = new InvalidInputException(List.of(FieldError.of("customerId", "a"),
                FieldError.of("eventId", "b"), FieldError.of("eventName", "c"), FieldError.of("timestamp", "d"),
                FieldError.of("properties", "e"), FieldError.of("properties.a.b[2]", "f")).stream()
                .map(e -> e.at(0)).toList());
        assertThat(SequenceRequests.rejectedBody(body).errors).extracting(SequenceError.FieldMessage::field)
                .containsExactly("customerAlias", "customerEventId", "eventType", "eventTimestamp", "eventProperties",
                        "eventProperties.a.b[2]");

        InvalidInputException query = new InvalidInputException(List.of(FieldError.of("customerId", "a"),
                FieldError.of("eventName", "b"), FieldError.of("eventId", "c"), FieldError.of("after", "d"),
                FieldError.of("limit", "e")));
        assertThat(SequenceRequests.rejectedQuery(query).errors).extracting(SequenceError.FieldMessage::field)
                .containsExactly("customerAlias", "eventType", "eventId", "after", "limit");
        assertThat(SequenceRequests.rejectedQuery(query).getMessage()).isEqualTo("customerAlias: a (and 4 more)");
    }
}
