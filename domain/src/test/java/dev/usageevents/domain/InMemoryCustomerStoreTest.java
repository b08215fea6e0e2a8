package dev.usageevents.domain;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.CustomerStore;
import dev.usageevents.domain.port.out.ServerSecretStore;
import dev.usageevents.domain.testing.CustomerStoreContract;
import dev.usageevents.domain.testing.InMemoryCustomerStore;
import dev.usageevents.domain.testing.InMemoryServerSecretStore;
import java.util.UUID;

class InMemoryCustomerStoreTest extends CustomerStoreContract {

    private final InMemoryCustomerStore store = new InMemoryCustomerStore();
    private final InMemoryServerSecretStore secrets = new InMemoryServerSecretStore();

    @Override
    protected CustomerStore store() {
        return store;
    }

    @Override
    protected ServerSecretStore secrets() {
        return secrets;
    }

    @Override
    protected AccountId newAccount() {
        return new AccountId(UUID.randomUUID());
    }
}
