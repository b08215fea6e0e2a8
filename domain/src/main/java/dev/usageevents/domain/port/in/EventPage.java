package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.UsageEvent;
import java.util.List;
import java.util.Optional;

/** One page of a list, the cursors of the pages beside it (absent at an end) and the size of the whole list. */
public record EventPage(List<UsageEvent> items, String after, String before, long total) {

    public EventPage {
        items = List.copyOf(items);
    }

    public Optional<String> nextCursor() {
        return Optional.ofNullable(after);
    }

    public Optional<String> previousCursor() {
        return Optional.ofNullable(before);
    }
}
