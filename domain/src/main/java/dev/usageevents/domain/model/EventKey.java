package dev.usageevents.domain.model;

import java.util.Objects;

/** The key of the supersede rules: at most one current event per account and event id. */
public record EventKey(AccountId accountId, EventId eventId) {

    public EventKey {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(eventId, "eventId");
    }

    public static EventKey of(UsageEvent event) {
        return new EventKey(event.accountId(), event.eventId());
    }
}
