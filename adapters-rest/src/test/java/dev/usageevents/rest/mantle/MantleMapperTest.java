package dev.usageevents.rest.mantle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.domain.port.in.IdentifyCommand;
import dev.usageevents.rest.common.JsonBody;
import dev.usageevents.rest.mantle.MantleError.FieldDetail;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The mapper against the vendor page's examples and Mantle's quirks. */
class MantleMapperTest {

    /** The single-event body of the vendor page ({@code shared/seeds/000_69a8ad9adc3f6ea6.txt}). */
    private static final String SEED_SINGLE = """

              {
                "customerId": "string",
                "eventId": "string",
                "eventName": "string",
                "timestamp": 1709315224000,
                "properties": {
                  "key": "value"
                }
              }
              """;

    private static final Account ACCOUNT = new Account(new AccountId(UUID.randomUUID()), "App",
            Instant.parse("2024-01-01T00:00:00Z"), "sqc_x", "app_x");
    private static final MantleCaller SERVER = new MantleCaller(ACCOUNT, Optional.empty());
    private static final MantleCaller CUSTOMER = new MantleCaller(ACCOUNT, Optional.of(new CustomerId("string")));

    private static MantleEvents events(String json, MantleCaller caller) {
        return MantleRequests.events(JsonBody.parse(json.getBytes(StandardCharsets.UTF_8)), caller);
    }

    private static MantleApiException refusal(Runnable call) {
        try {
            call.run();
        } catch (MantleApiException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void readsTheSeedsSingleEvent() {
        MantleEvents events = events(SEED_SINGLE, CUSTOMER);

        assertThat(events.batch()).isFalse();
        assertThat(events.drafts()).containsExactly(new EventDraft("string", "string", "string",
                Instant.ofEpochMilli(1709315224000L), Map.of("key", "value")));
    }

    @Test
    void readsABatchWithAliasesAndTheTokensCustomer() {
        MantleEvents events = events("""
                {"events": [
                  {"event_id": "a", "event_name": "n", "timestamp": "2024-03-01T18:47:04.5+01:00"},
                  {"eventId": "b", "eventName": "n", "customer_id": "string", "timestamp": null}
                ]}""", CUSTOMER);

        assertThat(events.batch()).isTrue();
        assertThat(events.drafts()).containsExactly(
                new EventDraft("string", "a", "n", Instant.parse("2024-03-01T17:47:04.500Z"), null),
                new EventDraft("string", "b", "n", null, null));
    }

    @Test
    void namesEveryMalformedFieldWithItsIndex() {
        MantleApiException e = refusal(() -> events("""
                {"events": [
                  {"eventName": "n", "customerId": "c"},
                  {"eventName": 1, "customerId": "c", "properties": "x"},
                  7,
                  {"eventName": "n", "event_name": "m", "customerId": "c", "timestamp": {}}
                ]}""", SERVER));

        assertThat(e.status).isEqualTo(400);
        assertThat(e.details).extracting(FieldDetail::field).containsExactly("events[1].eventName",
                "events[1].properties", "events[2]", "events[3].eventName", "events[3].timestamp");
        assertThat(e.getMessage()).isEqualTo("events[1].eventName must be a string (got a number) (and 4 more)");
    }

    @Test
    void malformedBeatsForbiddenWhichBeatsInvalid() {
        assertThat(refusal(() -> events("{\"events\":[{\"customerId\":\"other\"},{\"timestamp\":\"x\"}]}", CUSTOMER))
                .status).isEqualTo(403);
        assertThat(refusal(() -> events("{\"events\":[{\"customerId\":\"other\"},{\"eventName\":[]}]}", CUSTOMER))
                .status).isEqualTo(400);
        assertThat(refusal(() -> events("{\"timestamp\":\"2024-03-01\"}", CUSTOMER)).status).isEqualTo(422);
    }

    @Test
    void namesTheDomainsErrorsAsMantleDoes() {
        InvalidInputException domain = new InvalidInputException(List.of(
                FieldError.of("eventName", "is required").at(7), FieldError.of("timestamp", "is too old").at(9)));

        assertThat(MantleRequests.invalidEvents(domain, true).body()).isEqualTo(new MantleError(
                "events[7].eventName is required (and 1 more)",
                List.of(new FieldDetail("events[7].eventName", "is required"),
                        new FieldDetail("events[9].timestamp", "is too old"))));
        InvalidInputException single = new InvalidInputException(FieldError.of("eventName", "is required").at(0));
        assertThat(MantleRequests.invalidEvents(single, false).getMessage()).isEqualTo("eventName is required");
    }

    @Test
    void readsIdentifyIgnoringUnknownFields() {
        IdentifyCommand command = MantleRequests.identify(JsonBody.parse("""
                {"platform": "shopify", "platformId": "1", "myshopifyDomain": "a.myshopify.com", "name": "A",
                 "email": "a@b.c", "platformPlanName": "basic", "customFields": {"k": 1},
                 "createdAt": 1709315224000, "rotateApiToken": true, "accessToken": "secret", "features": {}}"""
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(command).isEqualTo(new IdentifyCommand("shopify", "1", "a.myshopify.com", "A", "a@b.c", "basic",
                Map.of("k", 1), Instant.ofEpochMilli(1709315224000L), true));
    }

    @Test
    void buildsTheListQueryFromParameters() {
        EventQuery query = MantleRequests.listQuery(CUSTOMER, null, "n", "2024-03-01", "2024-03-01", null, "5");

        assertThat(query.limit()).isEqualTo(5);
        assertThat(query.filter().customerId()).isEqualTo(new CustomerId("string"));
        assertThat(query.filter().from()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
        assertThat(query.filter().to()).isEqualTo(Instant.parse("2024-03-01T23:59:59.999Z"));
        assertThat(MantleRequests.listQuery(SERVER, null, null, null, null, null, null).limit()).isEqualTo(20);
        assertThatThrownBy(() -> MantleRequests.listQuery(CUSTOMER, "other", null, null, null, null, null))
                .isInstanceOfSatisfying(MantleApiException.class, e -> assertThat(e.status).isEqualTo(403));
        assertThatThrownBy(() -> MantleRequests.listQuery(SERVER, null, null, null, null, null, "101"))
                .isInstanceOfSatisfying(MantleApiException.class, e -> assertThat(e.status).isEqualTo(400));
    }

    @Test
    void writesEventsInMantleNaming() {
        UUID id = UUID.randomUUID();
        UsageEvent event = new UsageEvent(id, ACCOUNT.id(), new CustomerId("c"),
                new EventId("e"), new EventName("n"),
                Instant.parse("2024-03-01T17:47:04Z"), EventProperties.of(Map.of("k", "v")), Source.MANTLE,
                Instant.parse("2024-03-01T17:47:05Z"), null, null);

        assertThat(MantleResponses.event(event)).isEqualTo(new MantleEvent(id.toString(), "e", "n", "c",
                "2024-03-01T17:47:04.000Z", Map.of("k", "v")));
    }
}
