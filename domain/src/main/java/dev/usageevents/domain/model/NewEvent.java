package dev.usageevents.domain.model;

import java.util.Objects;

/**
 * A validated event on its way to the store, with whether its client stated the timestamp (a retry without a
 * timestamp gets a new default one, and must still be recognised as an exact replay).
 */
public record NewEvent(UsageEvent event, boolean timestampGiven) {

    public NewEvent {
        Objects.requireNonNull(event, "event");
        if (!event.isCurrent()) {
            throw new IllegalArgumentException("a new event cannot already be superseded");
        }
    }

    public EventKey key() {
        return EventKey.of(event);
    }
}
