package dev.usageevents.domain.service;

import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.domain.port.in.QueryMeters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Turns folded cells into a meter answer, the same way for every implementation: every window of the period for
 * every group, empty windows filled in, windows in time order and groups in {@link MeterGroup} order within each.
 *
 * <p>The groups are those that had a matching event anywhere in the period (whether or not its value could be
 * read). Without grouping there is exactly one group, so an empty period still has its windows. Grouped by
 * customer only, every customer the query names is a group even without events, so a billing run sees a zero.
 */
public final class MeterResults {

    private MeterResults() {
    }

    /**
     * @param bounds the period's window bounds ({@link MeterWindows#bounds})
     * @param cells per group, the non-empty windows by index into the windows
     * @throws InvalidInputException when windows × groups exceeds {@link QueryMeters#MAX_ROWS}
     */
    public static MeterResult assemble(Meter meter, MeterWindows question, List<Instant> bounds,
            Map<MeterGroup, Map<Integer, MeterCell>> cells, long ignored, UUID firstEventId, UUID lastEventId) {
        TreeSet<MeterGroup> groups = new TreeSet<>(cells.keySet());
        boolean grouped = question.groupByCustomer() || !question.groupBy().isEmpty();
        if (!grouped) {
            groups.add(MeterGroup.NONE);
        } else if (question.groupBy().isEmpty()) {
            for (CustomerId customer : question.customers()) {
                groups.add(new MeterGroup(customer.value(), List.of()));
            }
        }
        int windows = bounds.size() - 1;
        checkSize(windows, groups.size());
        List<MeterRow> rows = new ArrayList<>(windows * groups.size());
        for (int w = 0; w < windows; w++) {
            for (MeterGroup group : groups) {
                MeterCell cell = cells.getOrDefault(group, Map.of()).getOrDefault(w, MeterCell.EMPTY);
                rows.add(new MeterRow(bounds.get(w), bounds.get(w + 1), group.customerId(),
                        groupBy(question.groupBy(), group), cell.value(meter.definition().aggregation()),
                        cell.eventCount()));
            }
        }
        return new MeterResult(meter, rows, ignored, firstEventId, lastEventId);
    }

    /** Refuses an answer of more than {@link QueryMeters#MAX_ROWS} rows, naming the limit. */
    public static void checkSize(long windows, long groups) {
        if (windows * groups > QueryMeters.MAX_ROWS) {
            // The message does not say how many groups: a reader may stop counting them past the limit.
            throw InvalidInputException.of("groupBy", "the answer would hold more than the limit of "
                    + QueryMeters.MAX_ROWS + " windows × groups (" + windows + " windows, each for every group):"
                    + " narrow the period, the window size, the customers or the grouping");
        }
    }

    private static Map<String, Object> groupBy(List<PropertyPath> paths, MeterGroup group) {
        if (paths.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            values.put(paths.get(i).dotted(), group.values().get(i));
        }
        return Collections.unmodifiableMap(values);
    }
}
