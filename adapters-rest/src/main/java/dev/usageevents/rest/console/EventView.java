package dev.usageevents.rest.console;

import dev.usageevents.domain.model.UsageEvent;
import io.quarkus.qute.TemplateData;

/** One event version as the console's tables show it: text only, formatted once. */
@TemplateData
record EventView(String id, String eventId, String customerId, String eventName, String timestamp, String source,
        String receivedAt, boolean current, String supersededBy, String supersededAt) {

    static EventView of(UsageEvent e) {
        return new EventView(e.id().toString(), e.eventId().value(), e.customerId().value(), e.eventName().value(),
                e.timestamp().toString(), e.source().name(), e.receivedAt().toString(), e.isCurrent(),
                e.supersededBy() == null ? "" : e.supersededBy().toString(),
                e.supersededAt() == null ? "" : e.supersededAt().toString());
    }
}
