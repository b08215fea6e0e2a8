package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.meter.Meter;
import java.util.List;
import java.util.UUID;

/**
 * A meter's answer: every window of the period for every group (empty ones included, in window then group order),
 * the number of matching events whose value could not be read ({@code ignoredEventCount}: never silently
 * uncounted), and the ids of the first and last counted events by timestamp (null when none).
 */
public record MeterResult(Meter meter, List<MeterRow> rows, long ignoredEventCount, UUID firstEventId,
        UUID lastEventId) {

    public MeterResult {
        rows = List.copyOf(rows);
    }
}
