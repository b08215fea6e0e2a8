package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.out.UsageEventStore;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.UsageEventStoreContract;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;

/** The store contract on real PostgreSQL, including 50 threads superseding one event id. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PanacheUsageEventStoreTest extends UsageEventStoreContract {

    @Inject
    PanacheUsageEventStore store;

    @Inject
    PanacheAccountStore accounts;

    @Override
    protected UsageEventStore store() {
        return store;
    }

    @Override
    protected AccountId newAccount() {
        AccountCredentials created = new AccountService(accounts, Clock.systemUTC(),
                new UuidV7Generator(Clock.systemUTC())).create("contract test");
        return created.account().id();
    }
}
