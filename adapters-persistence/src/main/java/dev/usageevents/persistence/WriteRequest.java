package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.SupersedeRule;
import java.util.List;

/** One caller's batch: the unit that {@link EventBatchWriter} writes with others in one transaction. */
record WriteRequest(AccountId accountId, SupersedeRule rule, List<NewEvent> events) {

    WriteRequest {
        events = List.copyOf(events);
        for (NewEvent event : events) {
            if (!event.event().accountId().equals(accountId)) {
                throw new IllegalArgumentException("event " + event.event().id() + " is not of account " + accountId);
            }
        }
    }
}
