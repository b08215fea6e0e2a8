package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.InvalidInputException;

/** An app tells who its customers are, and gets for each an API token that its browser code may hold. */
public interface IdentifyCustomers {

    /**
     * Creates or updates the customer whose reference (platform id, else myshopify domain) the command names,
     * and returns its API token: the same token every time, until {@code rotateApiToken} replaces it (the old
     * one stops working at once). A token opens only this customer of this account.
     *
     * @throws InvalidInputException naming every bad field; nothing is stored
     */
    IdentifiedCustomer identify(AccountId accountId, IdentifyCommand command);
}
