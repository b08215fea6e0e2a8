package dev.usageevents.rest.mantle;

import dev.usageevents.domain.port.in.EventDraft;
import java.util.List;

/** The events of a {@code POST /v1/usage_events} body: one event, or {@code {"events": [...]}}. */
record MantleEvents(List<EventDraft> drafts, boolean batch) {
}
