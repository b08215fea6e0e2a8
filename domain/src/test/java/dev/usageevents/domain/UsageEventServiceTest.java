package dev.usageevents.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.IngestOutcome.Kind;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.EventPage;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.domain.service.UsageEventService;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.InMemoryUsageEventStore;
import dev.usageevents.domain.testing.MutableClock;
import dev.usageevents.domain.testing.Stages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UsageEventServiceTest {

    private static final Instant NOW = Instant.parse("2024-06-01T10:00:00.123456Z");
    private static final Instant SEED_TIME = Instant.parse("2022-10-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryUsageEventStore store = new InMemoryUsageEventStore();
    private final UsageEventService service = new UsageEventService(store, clock, new UuidV7Generator(clock),
            Duration.ofHours(1));
    private final AccountId account = new AccountId(UUID.randomUUID());

    private static EventDraft draft(String eventId, Map<String, ?> properties) {
        return new EventDraft("customer-id-2H4u5BBwBWsS5V2sroRFqJfTXpW", eventId, "message-sent", SEED_TIME,
                properties);
    }

    private List<IngestOutcome> ingest(SupersedeRule rule, EventDraft... drafts) {
        return Stages.join(service.ingest(new IngestCommand(account, Source.SEQUENCE, rule, List.of(drafts))));
    }

    private List<FieldError> errorsOf(EventDraft... drafts) {
        try {
            ingest(SupersedeRule.LAST_WINS, drafts);
        } catch (InvalidInputException e) {
            return e.errors();
        }
        throw new AssertionError("expected invalid input");
    }

    @Test
    void storesAnEventWithTheServiceTimeAndAVersion7Id() {
        IngestOutcome outcome = ingest(SupersedeRule.LAST_WINS, draft("e1", Map.of("length", 500))).get(0);

        UsageEvent event = outcome.event();
        assertThat(outcome.kind()).isEqualTo(Kind.CREATED);
        assertThat(event.id().version()).isEqualTo(7);
        assertThat(event.receivedAt()).isEqualTo(Instant.parse("2024-06-01T10:00:00.123Z"));
        assertThat(event.timestamp()).isEqualTo(SEED_TIME);
        assertThat(event.source()).isEqualTo(Source.SEQUENCE);
        assertThat(service.get(account, event.id())).contains(event);
        assertThat(service.get(new AccountId(UUID.randomUUID()), event.id())).isEmpty();
    }

    @Test
    void defaultsTheEventIdAndTheTimestamp() {
        UsageEvent event = ingest(SupersedeRule.LAST_WINS,
                new EventDraft("c", null, "api-call", null, null)).get(0).event();

        assertThat(event.eventId().value()).isNotBlank();
        assertThat(event.timestamp()).isEqualTo(event.receivedAt());
        assertThat(event.properties().toJson()).isEqualTo("{}");
    }

    @Test
    void appliesTheSupersedeRulesOfTheCommand() {
        UUID first = ingest(SupersedeRule.LAST_WINS, draft("e1", Map.of("n", 1))).get(0).event().id();
        IngestOutcome replay = ingest(SupersedeRule.LAST_WINS, draft("e1", Map.of("n", 1))).get(0);
        IngestOutcome duplicate = ingest(SupersedeRule.FIRST_WINS, draft("e1", Map.of("n", 2))).get(0);
        IngestOutcome superseding = ingest(SupersedeRule.LAST_WINS, draft("e1", Map.of("n", 3))).get(0);

        assertThat(replay.kind()).isEqualTo(Kind.REPLAY);
        assertThat(replay.event().id()).isEqualTo(first);
        assertThat(duplicate.kind()).isEqualTo(Kind.DUPLICATE_IGNORED);
        assertThat(superseding.kind()).isEqualTo(Kind.SUPERSEDED_PREVIOUS);
        assertThat(superseding.supersededId()).isEqualTo(first);
        assertThat(service.get(account, first).orElseThrow().supersededBy()).isEqualTo(superseding.event().id());
    }

    @Test
    void aRetryWithoutTimestampIsAReplayEvenAfterTheClockMoved() {
        EventDraft noTime = new EventDraft("c", "e1", "api-call", null, Map.of("n", 1));
        UUID first = ingest(SupersedeRule.LAST_WINS, noTime).get(0).event().id();
        clock.advance(Duration.ofSeconds(30));
        IngestOutcome retry = ingest(SupersedeRule.LAST_WINS, noTime).get(0);

        assertThat(retry.kind()).isEqualTo(Kind.REPLAY);
        assertThat(retry.event().id()).isEqualTo(first);
    }

    @Test
    void namesEveryBadFieldWithItsIndexAndStoresNothing() {
        List<EventDraft> batch = new ArrayList<>(Collections.nCopies(7, draft(null, Map.of())));
        batch.add(new EventDraft("", "x".repeat(256), "bad\u0001name", Instant.parse("1999-12-31T23:59:59Z"),
                Map.of("k", "nul\u0000")));
        batch.add(draft(null, Map.of()));

        assertThatThrownBy(() -> service.ingest(new IngestCommand(account, Source.MANTLE, SupersedeRule.FIRST_WINS,
                batch)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::index, FieldError::field)
                        .containsExactly(
                                tuple(7, "customerId"),
                                tuple(7, "eventId"),
                                tuple(7, "eventName"),
                                tuple(7, "timestamp"),
                                tuple(7, "properties.k")));
        assertThat(store.count(account, EventFilter.ALL_CURRENT)).isZero();
    }

    @Test
    void refusesTimestampsTooFarAheadOfTheClock() {
        assertThat(errorsOf(new EventDraft("c", "e", "n", NOW.plus(Duration.ofMinutes(61)), null)))
                .extracting(FieldError::field, FieldError::message)
                .containsExactly(tuple("timestamp",
                        "must not be more than 60 minutes ahead of the server clock"));
        assertThat(ingest(SupersedeRule.LAST_WINS,
                new EventDraft("c", "e", "n", NOW.plus(Duration.ofMinutes(59)), null))).hasSize(1);
        assertThat(ingest(SupersedeRule.LAST_WINS,
                new EventDraft("c", "e2", "n", UsageEventService.EARLIEST_TIMESTAMP, null))).hasSize(1);
    }

    @Test
    void refusesEmptyAndOversizedBatches() {
        assertThat(errorsOf()).extracting(FieldError::field).containsExactly("events");
        EventDraft[] tooMany = Collections.nCopies(1001, draft(null, null)).toArray(EventDraft[]::new);
        assertThat(errorsOf(tooMany)).extracting(FieldError::message)
                .containsExactly("must hold at most 1000 events (got 1001)");
        EventDraft[] max = Collections.nCopies(1000, draft(null, null)).toArray(EventDraft[]::new);
        assertThat(ingest(SupersedeRule.LAST_WINS, max)).hasSize(1000);
    }

    @Test
    void pagesForwardAndBackWithOpaqueCursors() {
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            drafts.add(new EventDraft("c", "e" + i, "n", SEED_TIME.plusSeconds(i), Map.of("i", i)));
        }
        Stages.join(service.ingest(new IngestCommand(account, Source.SEQUENCE, SupersedeRule.LAST_WINS, drafts)));

        EventPage first = list(SortOrder.DESC, null, null);
        assertThat(eventIds(first)).containsExactly("e6", "e5", "e4");
        assertThat(first.total()).isEqualTo(7);
        assertThat(first.before()).isNull();
        EventPage second = list(SortOrder.DESC, first.after(), null);
        assertThat(eventIds(second)).containsExactly("e3", "e2", "e1");
        EventPage third = list(SortOrder.DESC, second.after(), null);
        assertThat(eventIds(third)).containsExactly("e0");
        assertThat(third.after()).isNull();

        EventPage back = list(SortOrder.DESC, null, third.before());
        assertThat(eventIds(back)).containsExactly("e3", "e2", "e1");
        EventPage backAgain = list(SortOrder.DESC, null, back.before());
        assertThat(eventIds(backAgain)).containsExactly("e6", "e5", "e4");
        assertThat(backAgain.before()).isNull();
        assertThat(eventIds(list(SortOrder.ASC, null, null))).containsExactly("e0", "e1", "e2");
    }

    @Test
    void refusesCursorsItDidNotWrite() {
        assertThatThrownBy(() -> list(SortOrder.ASC, "not-a-cursor", null))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.first().field()).isEqualTo("after"));
        assertThatThrownBy(() -> new EventQuery(EventFilter.ALL_CURRENT, SortOrder.ASC, 101, null, null))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.first().field()).isEqualTo("limit"));
    }

    private EventPage list(SortOrder order, String after, String before) {
        return service.list(account, new EventQuery(EventFilter.ALL_CURRENT, order, 3, after, before));
    }

    private static List<String> eventIds(EventPage page) {
        return page.items().stream().map(e -> e.eventId().value()).toList();
    }
}
