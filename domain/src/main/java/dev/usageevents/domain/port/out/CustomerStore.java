package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import java.util.Optional;
import java.util.function.Function;

/** Where identified customers and the hashes of their API tokens live. */
public interface CustomerStore {

    /**
     * Creates or replaces one customer atomically: {@code change} gets the stored customer (empty the first time)
     * and returns what to store. Concurrent saves of the same (account, reference) run one after the other, each
     * seeing what the previous one stored. Returns what was stored, after the commit.
     */
    StoredCustomer save(AccountId accountId, CustomerId reference,
            Function<Optional<StoredCustomer>, StoredCustomer> change);

    Optional<StoredCustomer> find(AccountId accountId, CustomerId reference);

    /** The customer of the account whose current token hashes to {@code tokenHash}. */
    Optional<StoredCustomer> findByTokenHash(AccountId accountId, String tokenHash);
}
