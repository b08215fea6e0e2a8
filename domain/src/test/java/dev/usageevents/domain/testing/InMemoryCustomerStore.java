package dev.usageevents.domain.testing;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.port.out.CustomerStore;
import dev.usageevents.domain.port.out.StoredCustomer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The customer store in memory, for tests: one lock stands in for the database's. */
public final class InMemoryCustomerStore implements CustomerStore {

    private record Key(AccountId accountId, CustomerId reference) {
    }

    private final Map<Key, StoredCustomer> customers = new HashMap<>();

    @Override
    public synchronized StoredCustomer save(AccountId accountId, CustomerId reference,
            Function<Optional<StoredCustomer>, StoredCustomer> change) {
        Key key = new Key(accountId, reference);
        StoredCustomer next = change.apply(Optional.ofNullable(customers.get(key)));
        if (!next.customer().accountId().equals(accountId) || !next.customer().reference().equals(reference)) {
            throw new IllegalArgumentException("a save cannot move a customer to another account or reference");
        }
        boolean tokenTaken = customers.entrySet().stream()
                .anyMatch(e -> !e.getKey().equals(key) && e.getValue().tokenHash().equals(next.tokenHash()));
        if (tokenTaken) {
            throw new IllegalStateException("two customers cannot share a token");
        }
        customers.put(key, next);
        return next;
    }

    @Override
    public synchronized Optional<StoredCustomer> find(AccountId accountId, CustomerId reference) {
        return Optional.ofNullable(customers.get(new Key(accountId, reference)));
    }

    @Override
    public synchronized Optional<StoredCustomer> findByTokenHash(AccountId accountId, String tokenHash) {
        return customers.values().stream()
                .filter(c -> c.customer().accountId().equals(accountId) && c.tokenHash().equals(tokenHash))
                .findFirst();
    }
}
