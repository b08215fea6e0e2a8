package dev.usageevents.persistence;

import static dev.usageevents.domain.port.in.Lookup.MAY_BLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.port.out.StoredAccount;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.AccountStoreContract;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The account store contract on real PostgreSQL, and what the table holds of the secrets. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PanacheAccountStoreTest extends AccountStoreContract {

    @Inject
    PanacheAccountStore store;

    @Inject
    AgroalDataSource dataSource;

    @Override
    protected AccountStore store() {
        return store;
    }

    private AccountService service() {
        return new AccountService(store, Clock.systemUTC(), new UuidV7Generator(Clock.systemUTC()));
    }

    @Test
    void storesAccountsWithHashesOnlyAndFindsThemByTheirPublicIds() throws Exception {
        AccountCredentials created = service().create("Acme");
        AccountId id = created.account().id();

        StoredAccount stored = store.findBySequenceClientId(created.account().sequenceClientId(), MAY_BLOCK)
                .orElseThrow();
        assertThat(stored.account()).isEqualTo(created.account());
        assertThat(store.findByMantleAppId(created.account().mantleAppId(), MAY_BLOCK).orElseThrow().account().id())
                .isEqualTo(id);
        assertThat(store.list()).extracting(s -> s.account().id()).contains(id);
        assertThat(service().bySequenceCredentials(created.account().sequenceClientId(),
                created.sequenceClientSecret(), MAY_BLOCK)).isPresent();

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet row = s.executeQuery("select * from accounts where id = '" + id + "'")) {
            assertThat(row.next()).isTrue();
            for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                assertThat(String.valueOf(row.getObject(i)))
                        .doesNotContain(created.sequenceClientSecret())
                        .doesNotContain(created.mantleApiKey());
            }
        }
    }

    @Test
    void rotatesSecretHashes() {
        AccountCredentials created = service().create("Rotating");
        AccountCredentials rotated = service().rotateSecrets(created.account().id()).orElseThrow();

        String appId = created.account().mantleAppId();
        assertThat(service().byMantleApiKey(appId, created.mantleApiKey(), MAY_BLOCK)).isEmpty();
        assertThat(service().byMantleApiKey(appId, rotated.mantleApiKey(), MAY_BLOCK)).isPresent();
        assertThat(store.updateSecretHashes(new AccountId(UUID.randomUUID()), "a", "b")).isFalse();
    }
}
