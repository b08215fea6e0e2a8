package dev.usageevents.rest.mantle;

import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.in.EventPage;

/** The domain's events in Mantle's shape: the answers of the usage-events API. */
final class MantleResponses {

    private MantleResponses() {
    }

    static MantleEventList list(EventPage page) {
        return new MantleEventList(page.items().stream().map(MantleResponses::event).toList(), page.after(),
                page.after() != null, page.total());
    }

    static MantleEvent event(UsageEvent e) {
        return new MantleEvent(e.id().toString(), e.eventId().value(), e.eventName().value(),
                e.customerId().value(), MantleTimestamps.format(e.timestamp()), e.properties().values());
    }
}
