package dev.usageevents.domain;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.UsageEventStore;
import dev.usageevents.domain.testing.InMemoryUsageEventStore;
import dev.usageevents.domain.testing.UsageEventStoreContract;
import java.util.UUID;

class InMemoryUsageEventStoreTest extends UsageEventStoreContract {

    private final InMemoryUsageEventStore store = new InMemoryUsageEventStore();

    @Override
    protected UsageEventStore store() {
        return store;
    }

    @Override
    protected AccountId newAccount() {
        return new AccountId(UUID.randomUUID());
    }
}
