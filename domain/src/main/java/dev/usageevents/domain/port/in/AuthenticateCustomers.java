package dev.usageevents.domain.port.in;

import java.util.Optional;

/** Checks a customer's API token, as a browser presents it with its app's id. */
public interface AuthenticateCustomers {

    /**
     * The account and customer that {@code token} opens, when it is the current token of a customer of the app
     * {@code appId}; empty otherwise (unknown app, unknown or rotated token, another app's token).
     */
    Optional<CustomerAccess> byMantleCustomerToken(String appId, String token);
}
