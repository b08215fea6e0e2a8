package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.Customer;
import java.util.Objects;

/** A customer after identify, with its API token in clear (the store keeps only the token's hash). */
public record IdentifiedCustomer(Customer customer, String apiToken) {

    public IdentifiedCustomer {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(apiToken, "apiToken");
    }

    @Override
    public String toString() {
        return "IdentifiedCustomer[customer=" + customer.reference() + ", apiToken=<hidden>]";
    }
}
