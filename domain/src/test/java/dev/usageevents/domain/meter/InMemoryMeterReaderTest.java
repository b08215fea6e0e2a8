package dev.usageevents.domain.meter;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.MeterReader;
import dev.usageevents.domain.port.out.UsageEventStore;
import dev.usageevents.domain.testing.InMemoryMeterReader;
import dev.usageevents.domain.testing.InMemoryUsageEventStore;
import dev.usageevents.domain.testing.MeterReaderContract;
import java.util.UUID;

/** The meter contract in memory: the harness itself, and the reference against its own fold of the store. */
class InMemoryMeterReaderTest extends MeterReaderContract {

    private final InMemoryUsageEventStore store = new InMemoryUsageEventStore();
    private final InMemoryMeterReader reader = new InMemoryMeterReader(store);

    @Override
    protected UsageEventStore events() {
        return store;
    }

    @Override
    protected MeterReader reader() {
        return reader;
    }

    @Override
    protected AccountId newAccount() {
        return new AccountId(UUID.randomUUID());
    }
}
