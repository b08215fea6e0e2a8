package dev.usageevents.domain.model;

import java.util.Objects;
import java.util.UUID;

/** The tenant: every event, list and credential belongs to exactly one account. */
public record AccountId(UUID value) {

    public AccountId {
        Objects.requireNonNull(value, "account id");
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
