package dev.usageevents.domain;

import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.testing.AccountStoreContract;
import dev.usageevents.domain.testing.InMemoryAccountStore;

class InMemoryAccountStoreTest extends AccountStoreContract {

    private final InMemoryAccountStore store = new InMemoryAccountStore();

    @Override
    protected AccountStore store() {
        return store;
    }
}
