package dev.usageevents.domain.meter;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.MeterStore;
import dev.usageevents.domain.testing.InMemoryMeterStore;
import dev.usageevents.domain.testing.MeterStoreContract;
import java.util.UUID;

class InMemoryMeterStoreTest extends MeterStoreContract {

    private final InMemoryMeterStore store = new InMemoryMeterStore();

    @Override
    protected MeterStore store() {
        return store;
    }

    @Override
    protected AccountId newAccount() {
        return new AccountId(UUID.randomUUID());
    }
}
