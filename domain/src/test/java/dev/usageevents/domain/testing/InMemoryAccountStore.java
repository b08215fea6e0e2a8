package dev.usageevents.domain.testing;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.in.Lookup;
import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.port.out.StoredAccount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The account store in memory, for tests. */
public final class InMemoryAccountStore implements AccountStore {

    private final Map<AccountId, StoredAccount> accounts = new LinkedHashMap<>();
    private int lookups;

    /**
     * How many look-ups by client id or app id were made, in either {@link Lookup} mode: the store holds everything
     * in memory, so it answers both at once.
     */
    public synchronized int lookups() {
        return lookups;
    }

    @Override
    public synchronized void create(StoredAccount account) {
        if (accounts.putIfAbsent(account.account().id(), account) != null) {
            throw new IllegalStateException("account exists: " + account.account().id());
        }
    }

    @Override
    public synchronized Optional<StoredAccount> findById(AccountId id) {
        return Optional.ofNullable(accounts.get(id));
    }

    @Override
    public synchronized Optional<StoredAccount> findBySequenceClientId(String clientId, Lookup lookup) {
        lookups++;
        return accounts.values().stream().filter(a -> a.account().sequenceClientId().equals(clientId)).findFirst();
    }

    @Override
    public synchronized Optional<StoredAccount> findByMantleAppId(String appId, Lookup lookup) {
        lookups++;
        return accounts.values().stream().filter(a -> a.account().mantleAppId().equals(appId)).findFirst();
    }

    @Override
    public synchronized List<StoredAccount> list() {
        return new ArrayList<>(accounts.values());
    }

    @Override
    public synchronized boolean updateSecretHashes(AccountId id, String sequenceSecretHash, String mantleApiKeyHash) {
        StoredAccount old = accounts.get(id);
        if (old == null) {
            return false;
        }
        accounts.put(id, new StoredAccount(old.account(), sequenceSecretHash, mantleApiKeyHash));
        return true;
    }
}
