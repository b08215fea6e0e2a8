package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.in.IdentifiedCustomer;
import dev.usageevents.domain.port.in.IdentifyCommand;
import dev.usageevents.domain.port.out.CustomerStore;
import dev.usageevents.domain.port.out.ServerSecretStore;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.CustomerService;
import dev.usageevents.domain.service.CustomerTokens;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.CustomerStoreContract;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The customer store contract on real PostgreSQL, and what identify leaves in the table. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PanacheCustomerStoreTest extends CustomerStoreContract {

    @Inject
    PanacheCustomerStore store;

    @Inject
    DatabaseServerSecretStore secrets;

    @Inject
    PanacheAccountStore accounts;

    @Inject
    AgroalDataSource dataSource;

    @Override
    protected CustomerStore store() {
        return store;
    }

    @Override
    protected ServerSecretStore secrets() {
        return secrets;
    }

    private AccountCredentials createAccount() {
        return new AccountService(accounts, Clock.systemUTC(), new UuidV7Generator(Clock.systemUTC()))
                .create("customer store test");
    }

    @Override
    protected AccountId newAccount() {
        return createAccount().account().id();
    }

    @Test
    void theTableHoldsTheTokenHashNeverTheToken() throws Exception {
        AccountCredentials app = createAccount();
        CustomerService customers = new CustomerService(store, accounts, CustomerTokens.withStoredSecret(secrets),
                Clock.systemUTC(), new UuidV7Generator(Clock.systemUTC()));
        IdentifiedCustomer identified = customers.identify(app.account().id(), new IdentifyCommand("shopify",
                "gid://shopify/Shop/42", "acme.myshopify.com", "Acme", "owner@acme.test", "Plus",
                Map.of("region", "eu"), null, false));

        assertThat(customers.byMantleCustomerToken(app.account().mantleAppId(), identified.apiToken())).isPresent();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet row = s.executeQuery("select * from mantle_customers where account_id = '"
                        + app.account().id() + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("reference")).isEqualTo("gid://shopify/Shop/42");
            assertThat(row.getString("custom_fields")).isEqualTo("{\"region\": \"eu\"}");
            for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                assertThat(String.valueOf(row.getObject(i))).doesNotContain(identified.apiToken());
            }
            assertThat(row.next()).isFalse();
        }
    }
}
