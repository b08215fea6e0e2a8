package dev.usageevents.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.domain.port.in.QueryMeters;
import dev.usageevents.domain.port.out.MeterReader;
import dev.usageevents.domain.port.out.UsageEventStore;
import dev.usageevents.domain.service.MeterAggregator;
import dev.usageevents.domain.service.MeterValidation;
import dev.usageevents.domain.service.UuidV7Generator;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MeterReader} must answer: exactly what the reference {@link MeterAggregator} answers over the
 * versions the store holds. Run against the in-memory reader and against PostgreSQL. The generated history is
 * seeded (the same on every run): events over two months that span the DST changes of Europe/Berlin and
 * America/New_York, supersedes that move an event in time, to another customer and to other values, voids,
 * values that are not numbers, and batches received one simulated minute apart, so that {@code asOf} instants
 * fall before and after corrections.
 */
public abstract class MeterReaderContract {

    protected static final int EVENTS = 10_000;
    private static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
    private static final Instant END = Instant.parse("2024-05-01T00:00:00Z");
    private static final Instant RECEIVED = Instant.parse("2024-06-01T00:00:00Z");
    private static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "Asia/Kathmandu", "America/New_York");

    private final UuidV7Generator ids = new UuidV7Generator(Clock.systemUTC());

    protected abstract UsageEventStore events();

    protected abstract MeterReader reader();

    /** An account the store accepts events for. */
    protected abstract AccountId newAccount();

    @Test
    void answersExactlyAsTheReferenceOnAGeneratedHistory() {
        Random random = new Random(20_261_202L);
        AccountId account = newAccount();
        List<Instant> batchTimes = generate(random, account);
        List<UsageEvent> versions = events().find(account, new EventFilter(null, null, null, null, null, true),
                SortOrder.ASC, null, 1_000_000);
        assertThat(versions.size()).isGreaterThanOrEqualTo(EVENTS);
        assertThat(versions).anyMatch(v -> !v.isCurrent());
        assertThat(versions).anyMatch(v -> v.customerId().value().equals(QueryMeters.VOID_CUSTOMER));

        List<Meter> meters = meters(account);
        int compared = 0;
        int nonEmpty = 0;
        for (int q = 0; q < 240; q++) {
            Meter meter = meters.get(q % meters.size());
            MeterQuery query = randomQuery(random, batchTimes, q);
            MeterWindows windows = MeterValidation.windows(query);
            MeterResult expected;
            try {
                expected = MeterAggregator.aggregate(meter, windows, versions);
            } catch (InvalidInputException tooLarge) {
                String message = tooLarge.getMessage();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader().aggregate(meter, windows))
                        .as("query %d %s", q, query).isInstanceOf(InvalidInputException.class).hasMessage(message);
                continue;
            }
            MeterResult actual = reader().aggregate(meter, windows);
            assertSame(expected, actual, "query " + q + " of " + meter.definition() + ": " + query);
            compared++;
            if (expected.rows().stream().anyMatch(r -> r.eventCount() > 0)) {
                nonEmpty++;
            }
        }
        assertThat(compared).isGreaterThan(200);
        assertThat(nonEmpty).isGreaterThan(150);

        // periods that share their end, answered in one pass, each equal to the reference over that period
        Instant end = Instant.parse("2024-04-17T09:41:07.250Z");
        List<Instant> starts = List.of(Instant.parse("2024-04-01T00:00:00Z"), end.minus(Duration.ofHours(24)),
                end.minus(Duration.ofDays(7)), end.minus(Duration.ofDays(30)), end.minus(Duration.ofDays(90)),
                Instant.parse("2000-01-01T00:00:00Z"), end.minus(Duration.ofDays(7)));
        for (Meter meter : meters) {
            for (String customer : List.of("c1", "c4", "nobody")) {
                assertTrailing(reader(), meter, versions, customer, starts, end);
            }
        }
    }

    /**
     * {@link MeterReader#trailing} answers, for each start, the one row's value of the reference over
     * {@code [start, to)} for the customer.
     */
    public static void assertTrailing(MeterReader reader, Meter meter, List<UsageEvent> versions, String customer,
            List<Instant> starts, Instant to) {
        List<BigDecimal> actual = reader.trailing(meter, new CustomerId(customer), starts, to);
        assertThat(actual).hasSameSizeAs(starts);
        for (int i = 0; i < starts.size(); i++) {
            BigDecimal expected = MeterAggregator.aggregate(meter, new MeterWindows(starts.get(i), to, null,
                    java.time.ZoneOffset.UTC, List.of(new CustomerId(customer)), false, List.of(), null), versions)
                    .rows().get(0).value();
            BigDecimal got = actual.get(i);
            if (expected == null ? got != null : got == null || got.compareTo(expected) != 0) {
                throw new AssertionError("trailing value from " + starts.get(i) + " to " + to + " of " + customer
                        + ", " + meter.definition() + ": expected " + expected + " but got " + got);
            }
        }
    }

    @Test
    void aSupersedeMovesTheContributionAVoidRemovesItAndAsOfBeforeShowsTheOldTotal() {
        AccountId account = newAccount();
        Instant ts = Instant.parse("2024-04-10T12:00:00Z");
        Instant r1 = Instant.parse("2024-06-01T00:00:00Z");
        Instant r2 = r1.plusSeconds(60);
        Instant r3 = r2.plusSeconds(60);
        store(account, List.of(event(account, "e", "c1", ts, Map.of("v", 10), r1),
                event(account, "f", "c1", ts, Map.of("v", 1), r1)));
        store(account, List.of(event(account, "e", "c2", ts.plusSeconds(3600), Map.of("v", 10), r2)));
        store(account, List.of(event(account, "f", QueryMeters.VOID_CUSTOMER, ts, Map.of("v", 1), r3)));
        Meter sum = meter(account, "SUM", "v", null, null, true);
        assertThat(total(sum, "c1", null)).isEqualByComparingTo("0");
        assertThat(total(sum, "c2", null)).isEqualByComparingTo("10");
        assertThat(total(sum, null, null)).isEqualByComparingTo("10");
        assertThat(total(sum, "c1", r1)).isEqualByComparingTo("0");
        assertThat(total(sum, "c1", r2)).isEqualByComparingTo("11");
        assertThat(total(sum, "c2", r2)).isEqualByComparingTo("0");
        assertThat(total(sum, "c1", r2.plusMillis(1))).isEqualByComparingTo("1");
        assertThat(total(sum, "c2", r2.plusMillis(1))).isEqualByComparingTo("10");
        assertThat(total(sum, null, r3)).isEqualByComparingTo("11");
        assertThat(total(sum, null, r3.plusMillis(1))).isEqualByComparingTo("10");
    }

    @Test
    void edgeValuesAreReadAlike() {
        AccountId account = newAccount();
        Instant ts = Instant.parse("2024-04-10T12:00:00Z");
        Instant received = Instant.parse("2024-06-01T00:00:00Z");
        List<Object> values = new ArrayList<>(List.of("+1", "-0.50", "1.", ".5", " 7", "7 ", "1e3", "0x10", "١٢",
                "00012.3400", "-0", "0.000", new BigDecimal("-0.0"), new BigDecimal("1E+3"), new BigDecimal("1.0"),
                1, "1", "1.0", 1e300, -1e-300, new BigDecimal("123456789012345678901234567890.123456789"),
                "9".repeat(1000), "9".repeat(1001), "Äpfel", "äpfel", "ÄPFEL", "it's", true, false,
                List.of(1), Map.of("a", 1), "", "NaN", "Infinity"));
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("v", values.get(i));
            properties.put("it's", Map.of("k\"ey", values.get(i)));
            properties.put("list", List.of(values.get(i)));
            events.add(event(account, "edge-" + i, "c" + (i % 3), ts.plusSeconds(i % 4), properties, received));
        }
        store(account, events);
        List<UsageEvent> versions = events().find(account, new EventFilter(null, null, null, null, null, true),
                SortOrder.ASC, null, 1_000);
        List<Meter> meters = new ArrayList<>();
        for (Aggregation aggregation : Aggregation.values()) {
            String property = aggregation == Aggregation.COUNT ? null : "v";
            meters.add(meter(account, aggregation.name(), property, null, null, true));
            if (aggregation != Aggregation.COUNT) {
                meters.add(meter(account, aggregation.name(), "it's.k\"ey", null, null, true));
                meters.add(meter(account, aggregation.name(), "list.0", null, null, true));
            }
        }
        meters.add(meter(account, "COUNT", null, Map.of("v", List.of("äpfel", "1", "-0.5", "true", 1000)), null,
                false));
        meters.add(meter(account, "COUNT", null, Map.of("v", List.of("äpfel", "1", "-0.5", "true", 1000)), null,
                true));
        meters.add(meter(account, "COUNT", null, Map.of("it's.k\"ey", List.of("ÄPFEL", "0", 1.0)),
                List.of("it's.k\"ey"), false));
        Instant from = ts.minusSeconds(60);
        Instant to = ts.plusSeconds(60);
        List<MeterQuery> queries = List.of(
                new MeterQuery(from, to, null, null, null, false, null, null),
                new MeterQuery(from, to, "MINUTE", "Asia/Kathmandu", null, true, List.of("v"), null),
                new MeterQuery(from, to, null, null, null, false, List.of("it's.k\"ey", "list.0"), null));
        for (Meter meter : meters) {
            for (MeterQuery query : queries) {
                MeterWindows windows = MeterValidation.windows(query);
                assertSame(MeterAggregator.aggregate(meter, windows, versions), reader().aggregate(meter, windows),
                        meter.definition() + ": " + query);
            }
        }
    }

    @Test
    void tooManyWindowsTimesGroupsIsRefusedAlike() {
        AccountId account = newAccount();
        Instant from = Instant.parse("2024-03-01T00:00:00Z");
        Instant received = Instant.parse("2024-06-01T00:00:00Z");
        List<NewEvent> events = new ArrayList<>();
        // 10,001 groups of g in one window (the reader stops reading past the limit), 200 groups of h
        for (int i = 0; i < QueryMeters.MAX_ROWS + 1; i++) {
            events.add(event(account, "many-" + i, "c1", from.plusSeconds(i % 50), Map.of("g", i, "h", i % 200), received));
        }
        store(account, events);
        List<UsageEvent> versions = events().find(account, new EventFilter(null, null, null, null, null, true),
                SortOrder.ASC, null, 100_000);
        Meter count = meter(account, "COUNT", null, null, null, true);
        for (MeterQuery query : List.of(
                new MeterQuery(from, from.plusSeconds(3600), null, null, null, false, List.of("g"), null),
                new MeterQuery(from, from.plus(Duration.ofDays(61)), "DAY", null, null, false, List.of("g"), null),
                // 200 groups read in full, 61 windows each
                new MeterQuery(from, from.plus(Duration.ofDays(61)), "DAY", null, null, false, List.of("h"), null))) {
            MeterWindows windows = MeterValidation.windows(query);
            String expected = org.assertj.core.api.Assertions.catchThrowableOfType(InvalidInputException.class,
                    () -> MeterAggregator.aggregate(count, windows, versions)).getMessage();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader().aggregate(count, windows))
                    .isInstanceOf(InvalidInputException.class).hasMessage(expected).hasMessageContaining("10000");
        }
        MeterWindows fits = MeterValidation.windows(new MeterQuery(from, from.plusSeconds(3600), null, null,
                null, true, null, null));
        assertSame(MeterAggregator.aggregate(count, fits, versions), reader().aggregate(count, fits), "by customer");
    }

    private BigDecimal total(Meter meter, String customer, Instant asOf) {
        MeterWindows windows = MeterValidation.windows(new MeterQuery(START, END, null, null,
                customer == null ? List.of() : List.of(customer), false, null, asOf));
        List<MeterRow> rows = reader().aggregate(meter, windows).rows();
        assertThat(rows).hasSize(1);
        return rows.get(0).value();
    }

    /** Every row equal, values by {@link BigDecimal#compareTo}; the description is built only on a difference. */
    protected static void assertSame(MeterResult expected, MeterResult actual, String what) {
        assertThat(actual.ignoredEventCount()).as("ignoredEventCount of %s", what)
                .isEqualTo(expected.ignoredEventCount());
        assertThat(actual.firstEventId()).as("firstEventId of %s", what).isEqualTo(expected.firstEventId());
        assertThat(actual.lastEventId()).as("lastEventId of %s", what).isEqualTo(expected.lastEventId());
        assertThat(actual.rows()).as("rows of %s", what).hasSameSizeAs(expected.rows());
        for (int i = 0; i < expected.rows().size(); i++) {
            MeterRow e = expected.rows().get(i);
            MeterRow a = actual.rows().get(i);
            boolean sameValue = e.value() == null ? a.value() == null
                    : a.value() != null && a.value().compareTo(e.value()) == 0;
            if (!sameValue || !a.windowStart().equals(e.windowStart()) || !a.windowEnd().equals(e.windowEnd())
                    || !java.util.Objects.equals(a.customerId(), e.customerId()) || !a.groupBy().equals(e.groupBy())
                    || a.eventCount() != e.eventCount()) {
                throw new AssertionError("row " + i + " of " + what + ":\n expected " + e + "\n but got  " + a);
            }
        }
    }

    private static Meter meter(AccountId account, String aggregation, String valueProperty,
            Map<String, List<?>> filters, List<String> negate, boolean caseSensitive) {
        return new Meter(UUID.randomUUID(), account, MeterValidation.definition(new MeterDraft(
                aggregation + "-" + UUID.randomUUID(), "call", aggregation, valueProperty, filters, negate,
                caseSensitive, null, null)), Instant.now(), null);
    }

    private static List<Meter> meters(AccountId account) {
        List<Meter> meters = new ArrayList<>();
        for (Aggregation aggregation : Aggregation.values()) {
            String property = aggregation == Aggregation.COUNT ? null : "v";
            meters.add(meter(account, aggregation.name(), property, null, null, true));
            meters.add(meter(account, aggregation.name(), aggregation == Aggregation.COUNT ? null : "usage.tokens",
                    Map.of("channel", List.of("email", "SMS")), null, false));
            meters.add(meter(account, aggregation.name(), property,
                    Map.of("channel", List.of("email"), "model", List.of(1, "b")), List.of("channel"), true));
        }
        return meters;
    }

    private static MeterQuery randomQuery(Random random, List<Instant> batchTimes, int q) {
        String zone = ZONES.get(q % ZONES.size());
        String[] sizes = {null, "MINUTE", "HOUR", "DAY", "WEEK", "MONTH"};
        String size = sizes[(q / ZONES.size()) % sizes.length];
        Instant from;
        Instant to;
        switch (size == null ? "ALL" : size) {
            case "MINUTE" -> {
                from = START.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 60)));
                to = from.plus(Duration.ofMinutes(30 + random.nextInt(150)));
            }
            case "HOUR" -> {
                // around the spring changes: New York on 10 March, Berlin on 31 March
                from = Instant.parse(random.nextBoolean() ? "2024-03-09T00:00:00Z" : "2024-03-30T00:00:00Z")
                        .plusSeconds(random.nextInt(86_400));
                to = from.plus(Duration.ofHours(24 + random.nextInt(72)));
            }
            default -> {
                from = START.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 10)));
                to = END.minus(Duration.ofMinutes(random.nextInt(60 * 24 * 10)));
            }
        }
        List<String> customers = switch (random.nextInt(4)) {
            case 0 -> List.of("c1", "c2", "c3");
            case 1 -> List.of("c4", "nobody");
            default -> List.of();
        };
        boolean byCustomer = random.nextInt(3) == 0 && (size == null || !size.equals("MINUTE"));
        List<String> groupBy = switch (random.nextInt(5)) {
            case 0 -> List.of("model");
            case 1 -> size == null || size.equals("MONTH") || size.equals("WEEK") ? List.of("channel", "model") : List.of();
            default -> List.of();
        };
        Instant asOf = switch (random.nextInt(4)) {
            case 0 -> batchTimes.get(random.nextInt(batchTimes.size()));
            case 1 -> batchTimes.get(random.nextInt(batchTimes.size())).plusMillis(1 + random.nextInt(59_000));
            default -> null;
        };
        return new MeterQuery(from, to, size, zone, customers, byCustomer, groupBy, asOf);
    }

    /** Stores the generated history in batches received a minute apart; returns the batches' receipt times. */
    private List<Instant> generate(Random random, AccountId account) {
        Map<String, UsageEvent> latest = new LinkedHashMap<>();
        List<Instant> times = new ArrayList<>();
        List<String> eventIds = new ArrayList<>();
        int stored = 0;
        for (int batch = 0; stored < EVENTS + 3000; batch++) {
            Instant received = RECEIVED.plus(Duration.ofMinutes(batch));
            times.add(received);
            List<NewEvent> events = new ArrayList<>();
            int size = 50 + random.nextInt(400);
            for (int i = 0; i < size; i++) {
                int kind = random.nextInt(100);
                if (kind < 78 || eventIds.isEmpty()) {
                    String eventId = "e" + eventIds.size();
                    eventIds.add(eventId);
                    events.add(event(account, eventId, customer(random), timestamp(random), properties(random),
                            received, random.nextInt(10) == 0 ? "other" : "call"));
                } else {
                    String eventId = eventIds.get(random.nextInt(eventIds.size()));
                    UsageEvent previous = latest.get(eventId);
                    if (previous == null) {
                        continue;
                    }
                    if (kind < 92) {
                        // a correction: another time, customer or value (sometimes all of them)
                        Instant ts = random.nextBoolean() ? timestamp(random) : previous.timestamp();
                        String customer = random.nextBoolean() ? customer(random) : previous.customerId().value();
                        Map<String, Object> properties = random.nextBoolean() ? properties(random)
                                : previous.properties().values();
                        events.add(event(account, eventId, customer, ts, properties, received, "call"));
                    } else {
                        events.add(event(account, eventId, QueryMeters.VOID_CUSTOMER, previous.timestamp(),
                                previous.properties().values(), received, previous.eventName().value()));
                    }
                }
            }
            store(account, events);
            for (NewEvent e : events) {
                latest.put(e.event().eventId().value(), e.event());
            }
            stored += events.size();
        }
        return times;
    }

    private void store(AccountId account, List<NewEvent> events) {
        Stages.join(events().store(account, SupersedeRule.LAST_WINS, events));
    }

    private NewEvent event(AccountId account, String eventId, String customer, Instant ts, Map<String, ?> properties,
            Instant received) {
        return event(account, eventId, customer, ts, properties, received, "call");
    }

    private NewEvent event(AccountId account, String eventId, String customer, Instant ts, Map<String, ?> properties,
            Instant received, String name) {
        return new NewEvent(new UsageEvent(ids.newId(), account, new CustomerId(customer), new EventId(eventId),
                new EventName(name), ts, EventProperties.of(properties), Source.GRPC, received, null, null), true);
    }

    private static String customer(Random random) {
        return "c" + random.nextInt(12);
    }

    /** Times on a coarse grid, so that timestamps tie (LATEST then decides by receipt, then id). */
    private static Instant timestamp(Random random) {
        long span = Duration.between(START, END).toSeconds();
        long second = random.nextInt(4) == 0 ? (random.nextLong(span) / 3600) * 3600 : random.nextLong(span);
        return START.plusSeconds(second).plusMillis(random.nextInt(3) == 0 ? 500 : 0);
    }

    private static Map<String, Object> properties(Random random) {
        Map<String, Object> properties = new HashMap<>();
        Object value = switch (random.nextInt(14)) {
            case 0 -> random.nextInt(1000);
            case 1 -> new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(5));
            case 2 -> new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(5)).negate();
            case 3 -> String.valueOf(random.nextInt(100)) + "." + random.nextInt(100);
            case 4 -> "abc";
            case 5 -> random.nextBoolean();
            case 6 -> Map.of("x", 1);
            case 7 -> null;
            case 8 -> 2.5;
            case 9 -> "1e3";
            case 10 -> " 7";
            case 11 -> (long) random.nextInt(5);
            case 12 -> String.valueOf(random.nextInt(5));
            default -> random.nextInt(5) + 0.0;
        };
        if (value != null || random.nextBoolean()) {
            properties.put("v", value);
        }
        if (random.nextInt(5) > 0) {
            properties.put("usage", Map.of("tokens", random.nextInt(3) == 0 ? "12.50" : random.nextInt(10_000)));
        }
        Object channel = switch (random.nextInt(6)) {
            case 0 -> "email";
            case 1 -> "EMAIL";
            case 2 -> "sms";
            case 3 -> "Sms";
            case 4 -> 1;
            default -> null;
        };
        if (channel != null) {
            properties.put("channel", channel);
        }
        Object model = switch (random.nextInt(7)) {
            case 0 -> "a";
            case 1 -> "b";
            case 2 -> 1;
            case 3 -> new BigDecimal("1.0");
            case 4 -> "1";
            case 5 -> List.of("b");
            default -> null;
        };
        if (model != null) {
            properties.put("model", model);
        }
        return properties;
    }
}
