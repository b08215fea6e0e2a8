package dev.usageevents.rest.sequence;

import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.in.EventPage;
import java.util.List;

/** The domain's events in Sequence's shape: the answers of the usage-events API. */
final class SequenceResponses {

    private SequenceResponses() {
    }

    static SequenceUsageEvent toSequence(UsageEvent event) {
        return new SequenceUsageEvent(event.id().toString(), event.eventId().value(), event.customerId().value(),
                event.eventName().value(), event.accountId().toString(), SequenceTimestamps.format(event.timestamp()),
                event.properties().values());
    }

    static SequenceUsageEventList toSequence(EventPage page) {
        return new SequenceUsageEventList(page.items().stream().map(SequenceResponses::toSequence).toList(),
                new SequenceUsageEventList.Pagination(page.after(), page.before(), page.total()));
    }

    static SequenceUsageEventList emptyList() {
        return new SequenceUsageEventList(List.of(), new SequenceUsageEventList.Pagination(null, null, 0));
    }
}
