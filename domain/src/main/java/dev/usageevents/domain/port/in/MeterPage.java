package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.meter.Meter;
import java.util.List;

/** One page of meters, the cursors of the pages beside it (null at an end) and the size of the whole list. */
public record MeterPage(List<Meter> items, String after, String before, long total) {

    public MeterPage {
        items = List.copyOf(items);
    }
}
