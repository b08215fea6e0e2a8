package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.MeterStore;
import dev.usageevents.domain.testing.MeterStoreContract;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;

/** The meter store contract on real PostgreSQL, with its unique index under concurrent creates. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class JdbcMeterStoreTest extends MeterStoreContract {

    @Inject
    JdbcMeterStore store;

    @Override
    protected MeterStore store() {
        return store;
    }

    @Override
    protected AccountId newAccount() {
        // meters refer to no other table: an account id is enough
        return new AccountId(UUID.randomUUID());
    }
}
