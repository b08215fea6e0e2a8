package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.out.MeterReader;
import dev.usageevents.domain.port.out.UsageEventStore;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.MeterReaderContract;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * The meter contract on real PostgreSQL: the SQL reader against the reference aggregator over the same stored
 * versions (written through the real event store, with the receipt times the generator chose).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PostgresMeterReaderTest extends MeterReaderContract {

    @Inject
    PanacheUsageEventStore store;

    @Inject
    PostgresMeterReader reader;

    @Inject
    PanacheAccountStore accounts;

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
        AccountCredentials created = new AccountService(accounts, Clock.systemUTC(),
                new UuidV7Generator(Clock.systemUTC())).create("meter contract");
        return created.account().id();
    }
}
