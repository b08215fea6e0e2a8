package dev.usageevents.domain.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterListQuery;
import dev.usageevents.domain.port.in.MeterNameTakenException;
import dev.usageevents.domain.port.in.MeterPage;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.domain.service.MeterService;
import dev.usageevents.domain.service.UsageEventService;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.InMemoryMeterReader;
import dev.usageevents.domain.testing.InMemoryMeterStore;
import dev.usageevents.domain.testing.InMemoryUsageEventStore;
import dev.usageevents.domain.testing.MutableClock;
import dev.usageevents.domain.testing.Stages;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MeterServiceTest {

    private static final Instant NOW = Instant.parse("2024-06-01T10:00:00Z");
    private static final Instant DAY = Instant.parse("2024-05-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryUsageEventStore events = new InMemoryUsageEventStore();
    private final UsageEventService ingest = new UsageEventService(events, clock, new UuidV7Generator(clock),
            Duration.ofHours(1));
    private final MeterService meters = new MeterService(new InMemoryMeterStore(), new InMemoryMeterReader(events),
            events, ingest, clock, new UuidV7Generator(clock));
    private final AccountId account = new AccountId(UUID.randomUUID());

    private Meter meter(String aggregation, String valueProperty) {
        return meters.create(account, new MeterDraft("m-" + UUID.randomUUID(), "call", aggregation, valueProperty,
                null, null, null, null, null));
    }

    private List<IngestOutcome> send(String customer, String eventId, Instant ts, Map<String, ?> properties) {
        clock.advance(Duration.ofMillis(1));
        return Stages.join(ingest.ingest(new IngestCommand(account, Source.SEQUENCE, SupersedeRule.LAST_WINS,
                List.of(new EventDraft(customer, eventId, "call", ts, properties)))));
    }

    private MeterResult query(Meter meter, MeterQuery query) {
        return meters.query(account, meter.id(), query).orElseThrow();
    }

    private MeterResult total(Meter meter, List<String> customers, Instant asOf) {
        return query(meter, new MeterQuery(DAY, DAY.plus(Duration.ofDays(1)), null, null, customers, false, null,
                asOf));
    }

    private static BigDecimal value(MeterResult result) {
        assertThat(result.rows()).hasSize(1);
        return result.rows().get(0).value();
    }

    @Test
    void sumIsExactAndNonNumericValuesAreCountedAsIgnored() {
        Meter sum = meter("SUM", "usage.tokens");
        for (int i = 0; i < 10; i++) {
            send("c1", "e" + i, DAY.plusSeconds(i), Map.of("usage", Map.of("tokens", 0.1)));
        }
        send("c1", "s", DAY.plusSeconds(20), Map.of("usage", Map.of("tokens", "2.50")));
        send("c1", "x1", DAY.plusSeconds(21), Map.of("usage", Map.of("tokens", "two")));
        send("c1", "x2", DAY.plusSeconds(22), Map.of("usage", Map.of("tokens", true)));
        send("c1", "x3", DAY.plusSeconds(23), Map.of("usage", 5));
        send("c1", "x4", DAY.plusSeconds(24), Map.of("usage", Map.of("tokens", "1e3")));
        MeterResult result = total(sum, List.of(), null);
        assertThat(value(result)).isEqualByComparingTo("3.5");
        assertThat(result.rows().get(0).eventCount()).isEqualTo(11);
        assertThat(result.ignoredEventCount()).isEqualTo(4);
    }

    @Test
    void aggregationsReadTheirValues() {
        Map<String, Meter> m = new HashMap<>();
        for (String a : List.of("MIN", "MAX", "AVG", "LATEST", "UNIQUE_COUNT")) {
            m.put(a, meter(a, "v"));
        }
        Meter count = meter("COUNT", null);
        send("c1", "a", DAY.plusSeconds(1), Map.of("v", 1));
        send("c1", "b", DAY.plusSeconds(2), Map.of("v", 1.0));
        send("c1", "c", DAY.plusSeconds(3), Map.of("v", "1"));
        send("c1", "d", DAY.plusSeconds(3), Map.of("v", 2));
        send("c1", "e", DAY.plusSeconds(1), Map.of("v", "a"));
        send("c1", "f", DAY.plusSeconds(5), Map.of("v", false));
        assertThat(value(total(m.get("MIN"), List.of(), null))).isEqualByComparingTo("1");
        assertThat(value(total(m.get("MAX"), List.of(), null))).isEqualByComparingTo("2");
        // (1 + 1.0 + 1 + 2) / 4
        assertThat(value(total(m.get("AVG"), List.of(), null))).isEqualByComparingTo("1.25");
        // c and d share the latest timestamp among numbers: d was received later
        assertThat(value(total(m.get("LATEST"), List.of(), null))).isEqualByComparingTo("2");
        // 1 and 1.0 are one value, "1" and "a" two more, 2 a fourth; false has none
        MeterResult unique = total(m.get("UNIQUE_COUNT"), List.of(), null);
        assertThat(value(unique)).isEqualByComparingTo("4");
        assertThat(unique.rows().get(0).eventCount()).isEqualTo(5);
        assertThat(unique.ignoredEventCount()).isEqualTo(1);
        MeterResult counted = total(count, List.of(), null);
        assertThat(value(counted)).isEqualByComparingTo("6");
        assertThat(counted.firstEventId()).isIn(events.versions().stream()
                .filter(e -> e.eventId().value().equals("a") || e.eventId().value().equals("e"))
                .map(e -> e.id()).toList());
        assertThat(counted.lastEventId()).isEqualTo(events.versions().stream()
                .filter(e -> e.eventId().value().equals("f")).findFirst().orElseThrow().id());
    }

    @Test
    void averageRoundsHalfEvenTo34SignificantDigits() {
        Meter avg = meter("AVG", "v");
        send("c1", "a", DAY, Map.of("v", 1));
        send("c1", "b", DAY, Map.of("v", 1));
        send("c1", "c", DAY, Map.of("v", 0));
        assertThat(value(total(avg, List.of(), null))).isEqualTo(new BigDecimal("0.6666666666666666666666666666666667"));
    }

    @Test
    void filtersCompareTextsCaseInsensitivelyAndNegatedPathsPassMissingProperties() {
        Meter positive = meters.create(account, new MeterDraft("positive", "call", "COUNT", null,
                Map.of("channel", List.of("Email", "SMS")), null, false, null, null));
        Meter negated = meters.create(account, new MeterDraft("negated", "call", "COUNT", null,
                Map.of("channel", List.of("email"), "size", List.of(1)), List.of("channel"), true, null, null));
        send("c1", "a", DAY, Map.of("channel", "EMAIL", "size", 1.0));
        send("c1", "b", DAY, Map.of("channel", "sms", "size", "1"));
        send("c1", "c", DAY, Map.of("size", 1));
        send("c1", "d", DAY, Map.of("channel", "email", "size", 2));
        send("c1", "e", DAY, Map.of("channel", Map.of("x", 1), "size", 1));
        assertThat(value(total(positive, List.of(), null))).isEqualByComparingTo("3");
        // channel not "email" (case-sensitive: EMAIL passes), size's text "1": a, b, c, e
        assertThat(value(total(negated, List.of(), null))).isEqualByComparingTo("4");
    }

    @Test
    void everyWindowIsReturnedEmptyOnesWithZeroOrNull() {
        Meter sum = meter("SUM", "v");
        Meter max = meter("MAX", "v");
        send("c1", "a", DAY.plus(Duration.ofHours(30)), Map.of("v", 5));
        MeterQuery days = new MeterQuery(DAY, DAY.plus(Duration.ofDays(3)), "DAY", "UTC", null, false, null, null);
        assertThat(query(sum, days).rows()).extracting(MeterRow::value)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(BigDecimal.ZERO, BigDecimal.valueOf(5), BigDecimal.ZERO);
        assertThat(query(max, days).rows()).extracting(MeterRow::value).containsExactly(null, BigDecimal.valueOf(5),
                null);
        assertThat(query(max, days).rows()).extracting(MeterRow::eventCount).containsExactly(0L, 1L, 0L);
    }

    @Test
    void groupsByCustomerAndPropertyInOrder() {
        Meter sum = meter("SUM", "v");
        send("c2", "a", DAY, Map.of("v", 1, "model", "b"));
        send("c1", "b", DAY, Map.of("v", 2, "model", "b"));
        send("c1", "c", DAY, Map.of("v", 3));
        send("c1", "d", DAY, Map.of("v", 4, "model", "a"));
        MeterResult result = query(sum, new MeterQuery(DAY, DAY.plus(Duration.ofDays(1)), null, null, null, true,
                List.of("model"), null));
        List<String> rows = new ArrayList<>();
        for (MeterRow row : result.rows()) {
            rows.add(row.customerId() + "/" + row.groupBy().get("model") + "=" + row.value());
        }
        assertThat(rows).containsExactly("c1/null=3", "c1/a=4", "c1/b=2", "c2/b=1");
        MeterResult named = query(sum, new MeterQuery(DAY, DAY.plus(Duration.ofDays(1)), null, null,
                List.of("c1", "nobody"), true, null, null));
        assertThat(named.rows()).extracting(MeterRow::customerId).containsExactly("c1", "nobody");
        assertThat(named.rows().get(1).value()).isEqualByComparingTo("0");
    }

    @Test
    void tooManyWindowsTimesGroupsIsRefusedNamingTheLimit() {
        Meter count = meter("COUNT", null);
        for (int i = 0; i < 3; i++) {
            send("c" + i, "e" + i, DAY, Map.of());
        }
        MeterQuery minutes = new MeterQuery(DAY, DAY.plus(Duration.ofMinutes(5000)), "MINUTE", null, null, true,
                null, null);
        assertThatThrownBy(() -> query(count, minutes)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("10000");
    }

    @Test
    void aSupersedeMovesTheContributionAVoidRemovesItAndAsOfShowsTheOldTotal() {
        Meter sum = meter("SUM", "v");
        send("c1", "e", DAY, Map.of("v", 10));
        send("c1", "f", DAY, Map.of("v", 1));
        Instant beforeMove = clock.instant().plusMillis(1);
        clock.advance(Duration.ofSeconds(1));
        send("c2", "e", DAY, Map.of("v", 10));
        Instant beforeVoid = clock.instant().plusMillis(1);
        clock.advance(Duration.ofSeconds(1));
        List<IngestOutcome> voided = Stages.join(meters.voidEvents(account, Source.GRPC, List.of("f")));
        assertThat(voided).extracting(IngestOutcome::kind).containsExactly(IngestOutcome.Kind.SUPERSEDED_PREVIOUS);
        assertThat(voided.get(0).event().customerId().value()).isEqualTo("VOID");

        assertThat(value(total(sum, List.of("c1"), null))).isEqualByComparingTo("0");
        assertThat(value(total(sum, List.of("c2"), null))).isEqualByComparingTo("10");
        assertThat(value(total(sum, List.of(), null))).isEqualByComparingTo("10");
        assertThat(value(total(sum, List.of("c1"), beforeMove))).isEqualByComparingTo("11");
        assertThat(value(total(sum, List.of("c2"), beforeMove))).isEqualByComparingTo("0");
        assertThat(value(total(sum, List.of("c1"), beforeVoid))).isEqualByComparingTo("1");
        assertThat(value(total(sum, List.of(), beforeVoid))).isEqualByComparingTo("11");
        assertThat(value(total(sum, List.of(), DAY))).isEqualByComparingTo("0");
    }

    @Test
    void voidingAnUnknownEventNamesItsIndexAndStoresNothing() {
        send("c1", "known", DAY, Map.of());
        int before = events.versions().size();
        assertThatThrownBy(() -> meters.voidEvents(account, Source.GRPC, List.of("known", "unknown")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("eventIds[1]"));
        assertThat(events.versions()).hasSize(before);
    }

    @Test
    void namesAreUniqueAmongLiveMetersAndDeletedMetersAnswerNothing() {
        MeterDraft draft = new MeterDraft("tokens", "call", "COUNT", null, null, null, null, null, null);
        Meter first = meters.create(account, draft);
        assertThatThrownBy(() -> meters.create(account, draft)).isInstanceOf(MeterNameTakenException.class);
        assertThat(meters.create(new AccountId(UUID.randomUUID()), draft)).isNotNull();
        Meter deleted = meters.delete(account, first.id()).orElseThrow();
        assertThat(deleted.deletedAt()).isNotNull();
        assertThat(meters.get(account, first.id())).isEmpty();
        assertThat(meters.query(account, first.id(), new MeterQuery(DAY, NOW, null, null, null, false, null, null)))
                .isEmpty();
        assertThat(meters.delete(account, first.id())).isEmpty();
        Meter second = meters.create(account, draft);
        Meter other = meters.create(account, new MeterDraft("other", "call", "COUNT", null, null, null, null, null,
                null));
        assertThatThrownBy(() -> meters.replace(account, other.id(), draft)).isInstanceOf(MeterNameTakenException.class);
        assertThat(meters.replace(account, second.id(), new MeterDraft("renamed", "call", "SUM", "v", null, null,
                null, null, null)).orElseThrow().definition().name()).isEqualTo("renamed");
        assertThat(meters.findByName(account, "renamed")).map(Meter::id).contains(second.id());
    }

    @Test
    void listsPageBothWays() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(2));
            ids.add(meters.create(account, new MeterDraft("m" + i, "call", "COUNT", null, null, null, null, null,
                    null)).id());
        }
        MeterPage first = meters.list(account, new MeterListQuery(null, null, null, 2, null, null));
        assertThat(first.items()).extracting(Meter::id).containsExactlyElementsOf(ids.subList(0, 2));
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.before()).isNull();
        MeterPage second = meters.list(account, new MeterListQuery(null, null, null, 2, first.after(), null));
        assertThat(second.items()).extracting(Meter::id).containsExactlyElementsOf(ids.subList(2, 4));
        MeterPage back = meters.list(account, new MeterListQuery(null, null, null, 2, null, second.before()));
        assertThat(back.items()).extracting(Meter::id).containsExactlyElementsOf(ids.subList(0, 2));
        assertThat(back.before()).isNull();
        assertThat(meters.list(account, new MeterListQuery("m3", null, "COUNT", 10, null, null)).items())
                .extracting(Meter::id).containsExactly(ids.get(3));
        assertThatThrownBy(() -> meters.list(account, new MeterListQuery(null, null, "NOPE", 0, "x", null)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("limit", "aggregation", "after"));
    }
}
