package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import java.util.List;
import java.util.Objects;

/** A batch of events for one account, all under one supersede rule. A single event is a batch of one. */
public record IngestCommand(AccountId accountId, Source source, SupersedeRule rule, List<EventDraft> events) {

    public IngestCommand {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(rule, "rule");
        events = events == null ? List.of() : List.copyOf(events);
    }
}
