package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.Customer;
import java.util.Objects;

/**
 * A customer as the store keeps it: with the version its current API token was derived from and that token's
 * hash, never the token.
 */
public record StoredCustomer(Customer customer, int tokenVersion, String tokenHash) {

    public StoredCustomer {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(tokenHash, "tokenHash");
        if (tokenVersion < 0) {
            throw new IllegalArgumentException("tokenVersion must not be negative");
        }
    }
}
