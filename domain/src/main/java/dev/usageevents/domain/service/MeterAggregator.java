package dev.usageevents.domain.service;

import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.MeterValues;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.QueryMeters;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The reference: a meter's answer as a plain fold over every stored version of the account's events. It is the
 * oracle of the contract test that every {@link dev.usageevents.domain.port.out.MeterReader} must pass.
 *
 * <p><b>Which versions count.</b> Without {@code asOf}, the current versions. With {@code asOf} = T, the versions
 * received strictly before T and not superseded before T: {@code receivedAt < T} and ({@code supersededAt} is
 * null or {@code supersededAt >= T}). A successor's {@code receivedAt} is its predecessor's {@code supersededAt},
 * so at any T exactly one version of an event id counts (none before its first version was received).
 *
 * <p><b>Which events match.</b> The meter's account and event name; a customer other than
 * {@value QueryMeters#VOID_CUSTOMER}, and among the query's customers when it names any; a timestamp in
 * {@code [from, to)}; and every property filter: the text of the property ({@link MeterValues#text}), case-folded
 * ({@link MeterValues#foldCase}) when the meter is not case-sensitive, must be one of the filter's values; for a
 * negated path it must not be (a missing property, or one without text, fails a filter and passes a negated one).
 *
 * <p><b>Values.</b> COUNT counts every matching event. SUM, MIN, MAX, AVG and LATEST read the value property's
 * number ({@link MeterValues#number}); UNIQUE_COUNT its distinct value ({@link MeterValues#distinctKey}). A
 * matching event without one is counted in {@code ignoredEventCount} only. Arithmetic is exact
 * ({@link BigDecimal}); AVG is {@link MeterValues#average}. LATEST is the number of the event with the latest
 * timestamp, ties broken by the latest {@code receivedAt}, then by the greatest id. The first and last counted
 * events are the least and greatest by (timestamp, id). Ids compare as unsigned 128-bit numbers, as PostgreSQL
 * compares {@code uuid}.
 */
public final class MeterAggregator {

    /** Order by (timestamp, id). */
    public static final Comparator<UsageEvent> BY_TIME = Comparator.comparing(UsageEvent::timestamp)
            .thenComparing(UsageEvent::id, MeterAggregator::compareIds);
    /** The order of LATEST: (timestamp, receivedAt, id). */
    public static final Comparator<UsageEvent> LATEST_ORDER = Comparator.comparing(UsageEvent::timestamp)
            .thenComparing(UsageEvent::receivedAt).thenComparing(UsageEvent::id, MeterAggregator::compareIds);

    private MeterAggregator() {
    }

    /** Whether a version counts: current when {@code asOf} is null, else as of that instant (see above). */
    public static boolean counts(UsageEvent version, Instant asOf) {
        if (asOf == null) {
            return version.isCurrent();
        }
        return version.receivedAt().isBefore(asOf)
                && (version.supersededAt() == null || !version.supersededAt().isBefore(asOf));
    }

    public static int compareIds(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    public static MeterResult aggregate(Meter meter, MeterWindows question, Iterable<UsageEvent> versions) {
        MeterDefinition definition = meter.definition();
        List<Instant> bounds = question.bounds(QueryMeters.MAX_ROWS);
        Set<String> customers = new HashSet<>();
        question.customers().forEach(c -> customers.add(c.value()));
        Map<MeterGroup, Map<Integer, Fold>> folds = new HashMap<>();
        long ignored = 0;
        UsageEvent first = null;
        UsageEvent last = null;
        for (UsageEvent event : versions) {
            if (!event.accountId().equals(meter.accountId()) || !counts(event, question.asOf())
                    || !event.eventName().equals(definition.eventName())
                    || event.customerId().value().equals(QueryMeters.VOID_CUSTOMER)
                    || !customers.isEmpty() && !customers.contains(event.customerId().value())
                    || event.timestamp().isBefore(question.from()) || !event.timestamp().isBefore(question.to())
                    || !matchesFilters(definition, event.properties().values())) {
                continue;
            }
            int window = Collections.binarySearch(bounds, event.timestamp());
            window = window >= 0 ? window : -window - 2;
            Fold fold = folds.computeIfAbsent(group(question, event), g -> new HashMap<>())
                    .computeIfAbsent(window, w -> new Fold());
            if (!fold.add(definition, event)) {
                ignored++;
                continue;
            }
            first = first == null || BY_TIME.compare(event, first) < 0 ? event : first;
            last = last == null || BY_TIME.compare(event, last) > 0 ? event : last;
        }
        Map<MeterGroup, Map<Integer, MeterCell>> cells = new HashMap<>();
        folds.forEach((group, windows) -> {
            Map<Integer, MeterCell> byWindow = new HashMap<>();
            windows.forEach((window, fold) -> byWindow.put(window, fold.cell()));
            cells.put(group, byWindow);
        });
        return MeterResults.assemble(meter, question, bounds, cells, ignored, first == null ? null : first.id(),
                last == null ? null : last.id());
    }

    static boolean matchesFilters(MeterDefinition definition, Map<String, Object> properties) {
        for (Map.Entry<PropertyPath, List<String>> filter : definition.propertyFilters().entrySet()) {
            String text = MeterValues.text(filter.getKey().find(properties));
            boolean listed = false;
            if (text != null) {
                String seen = definition.caseSensitive() ? text : MeterValues.foldCase(text);
                for (String allowed : filter.getValue()) {
                    if (seen.equals(definition.caseSensitive() ? allowed : MeterValues.foldCase(allowed))) {
                        listed = true;
                        break;
                    }
                }
            }
            if (listed == definition.propertiesToNegate().contains(filter.getKey())) {
                return false;
            }
        }
        return true;
    }

    private static MeterGroup group(MeterWindows question, UsageEvent event) {
        List<String> values = new ArrayList<>(question.groupBy().size());
        for (PropertyPath path : question.groupBy()) {
            values.add(MeterValues.text(path.find(event.properties().values())));
        }
        return new MeterGroup(question.groupByCustomer() ? event.customerId().value() : null, values);
    }

    /** The running fold of one window of one group. */
    private static final class Fold {
        private long count;
        private BigDecimal sum;
        private BigDecimal min;
        private BigDecimal max;
        private UsageEvent latestEvent;
        private BigDecimal latest;
        private final Set<String> distinct = new HashSet<>();

        /** Adds the event's value; false when it has none to add. */
        boolean add(MeterDefinition definition, UsageEvent event) {
            Aggregation aggregation = definition.aggregation();
            if (aggregation == Aggregation.COUNT) {
                count++;
                return true;
            }
            Object raw = definition.valueProperty().find(event.properties().values());
            if (aggregation == Aggregation.UNIQUE_COUNT) {
                String key = MeterValues.distinctKey(raw);
                if (key == null) {
                    return false;
                }
                distinct.add(key);
                count++;
                return true;
            }
            BigDecimal number = MeterValues.number(raw);
            if (number == null) {
                return false;
            }
            count++;
            sum = sum == null ? number : sum.add(number);
            min = min == null || number.compareTo(min) < 0 ? number : min;
            max = max == null || number.compareTo(max) > 0 ? number : max;
            if (latestEvent == null || LATEST_ORDER.compare(event, latestEvent) > 0) {
                latestEvent = event;
                latest = number;
            }
            return true;
        }

        MeterCell cell() {
            return new MeterCell(count, sum, min, max, latest, distinct.size());
        }
    }
}
