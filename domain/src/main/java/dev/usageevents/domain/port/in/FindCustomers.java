package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.Customer;
import dev.usageevents.domain.model.CustomerId;
import java.util.Optional;

/** Reads an identified customer (Mantle {@code GET /v1/customer}). Another account's customer is absent. */
public interface FindCustomers {

    /** The customer of the account whose reference (the customer id of its events) is {@code reference}. */
    Optional<Customer> find(AccountId accountId, CustomerId reference);
}
