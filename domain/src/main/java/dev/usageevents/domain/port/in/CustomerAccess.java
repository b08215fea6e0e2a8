package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.CustomerId;
import java.util.Objects;

/** What a customer API token opens: one customer's events in one account. */
public record CustomerAccess(Account account, CustomerId customerId) {

    public CustomerAccess {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(customerId, "customerId");
    }
}
