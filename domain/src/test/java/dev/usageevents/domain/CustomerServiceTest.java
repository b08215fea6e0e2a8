package dev.usageevents.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.in.CustomerAccess;
import dev.usageevents.domain.port.in.IdentifiedCustomer;
import dev.usageevents.domain.port.in.IdentifyCommand;
import dev.usageevents.domain.port.out.StoredCustomer;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.CustomerService;
import dev.usageevents.domain.service.CustomerTokens;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.InMemoryAccountStore;
import dev.usageevents.domain.testing.InMemoryCustomerStore;
import dev.usageevents.domain.testing.InMemoryServerSecretStore;
import dev.usageevents.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomerServiceTest {

    private static final String KEY = "a-test-key-that-is-long-enough-for-hmac-sha256";

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T12:00:00Z"));
    private final UuidV7Generator ids = new UuidV7Generator(clock);
    private final InMemoryAccountStore accountStore = new InMemoryAccountStore();
    private final InMemoryCustomerStore customerStore = new InMemoryCustomerStore();
    private final AccountService accounts = new AccountService(accountStore, clock, ids);
    private final CustomerService customers = service(CustomerTokens.withSecret(KEY));
    private final AccountCredentials app = accounts.create("App");

    private CustomerService service(CustomerTokens tokens) {
        return new CustomerService(customerStore, accountStore, tokens, clock, ids);
    }

    private static IdentifyCommand identify(String platformId, boolean rotate) {
        return new IdentifyCommand("stripe", platformId, null, "Customer " + platformId, "c@example.com", "Pro",
                Map.of("seats", 3), Instant.parse("2023-06-01T00:00:00Z"), rotate);
    }

    private AccountId appId() {
        return app.account().id();
    }

    private String mantleAppId() {
        return app.account().mantleAppId();
    }

    @Test
    void identifyReturnsATokenThatOpensThisCustomerAndIsStoredOnlyAsAHash() {
        IdentifiedCustomer identified = customers.identify(appId(), identify("cus_1", false));

        assertThat(identified.apiToken()).startsWith("mct_").hasSize(4 + 43);
        assertThat(customers.byMantleCustomerToken(mantleAppId(), identified.apiToken()))
                .contains(new CustomerAccess(app.account(), new CustomerId("cus_1")));
        StoredCustomer stored = customerStore.find(appId(), new CustomerId("cus_1")).orElseThrow();
        assertThat(stored.tokenHash()).startsWith("sha256:").doesNotContain(identified.apiToken());
        assertThat(stored.customer().profile().name()).isEqualTo("Customer cus_1");
        assertThat(stored.customer().profile().customFields().values()).containsEntry("seats", 3);
        assertThat(identified.toString()).doesNotContain(identified.apiToken());
    }

    @Test
    void customerTokensOrAppIdsWithControlCharactersAreRefusedWithoutALookUp() {
        String token = customers.identify(appId(), identify("cus_1", false)).apiToken();
        int before = accountStore.lookups();

        assertThat(customers.byMantleCustomerToken(mantleAppId() + "\u0000", token)).isEmpty();
        assertThat(customers.byMantleCustomerToken(mantleAppId(), token + "\u0000")).isEmpty();
        assertThat(customers.byMantleCustomerToken(mantleAppId(), "\u0001")).isEmpty();
        assertThat(customers.byMantleCustomerToken(null, token)).isEmpty();

        assertThat(accountStore.lookups()).isEqualTo(before);
        assertThat(customers.byMantleCustomerToken(mantleAppId(), token)).isPresent();
    }

    @Test
    void identifyingAgainReturnsTheSameTokenAndUpdatesTheGivenFields() {
        String first = customers.identify(appId(), identify("cus_1", false)).apiToken();
        clock.advance(Duration.ofMinutes(5));
        IdentifiedCustomer again = customers.identify(appId(),
                new IdentifyCommand("stripe", "cus_1", null, null, "new@example.com", null, null, null, false));

        assertThat(again.apiToken()).isEqualTo(first);
        assertThat(again.customer().profile().email()).isEqualTo("new@example.com");
        assertThat(again.customer().profile().name()).isEqualTo("Customer cus_1");
        assertThat(again.customer().profile().customFields().values()).containsEntry("seats", 3);
        assertThat(again.customer().lastIdentifiedAt()).isEqualTo(clock.instant());
        assertThat(again.customer().firstIdentifiedAt()).isEqualTo(clock.instant().minus(Duration.ofMinutes(5)));
        assertThat(customers.byMantleCustomerToken(mantleAppId(), first)).isPresent();
    }

    @Test
    void rotationReplacesTheTokenAndTheOldOneStopsWorking() {
        String first = customers.identify(appId(), identify("cus_1", false)).apiToken();
        String rotated = customers.identify(appId(), identify("cus_1", true)).apiToken();
        String afterwards = customers.identify(appId(), identify("cus_1", false)).apiToken();

        assertThat(rotated).isNotEqualTo(first);
        assertThat(afterwards).isEqualTo(rotated);
        assertThat(customers.byMantleCustomerToken(mantleAppId(), first)).isEmpty();
        assertThat(customers.byMantleCustomerToken(mantleAppId(), rotated)).isPresent();
        assertThat(customers.identify(appId(), identify("cus_1", true)).apiToken()).isNotIn(first, rotated);
    }

    @Test
    void rotatingOnTheFirstIdentifyIsAPlainIdentify() {
        String token = customers.identify(appId(), identify("cus_1", true)).apiToken();
        assertThat(customers.identify(appId(), identify("cus_1", false)).apiToken()).isEqualTo(token);
    }

    @Test
    void tokensAreScopedToOneCustomerOfOneApp() {
        AccountCredentials other = accounts.create("Other app");
        String mine = customers.identify(appId(), identify("cus_1", false)).apiToken();
        String sameReferenceElsewhere = customers.identify(other.account().id(), identify("cus_1", false)).apiToken();
        String otherCustomer = customers.identify(appId(), identify("cus_2", false)).apiToken();

        assertThat(mine).isNotEqualTo(sameReferenceElsewhere).isNotEqualTo(otherCustomer);
        assertThat(customers.byMantleCustomerToken(other.account().mantleAppId(), mine)).isEmpty();
        assertThat(customers.byMantleCustomerToken(mantleAppId(), sameReferenceElsewhere)).isEmpty();
        assertThat(customers.byMantleCustomerToken(mantleAppId(), otherCustomer).orElseThrow().customerId())
                .isEqualTo(new CustomerId("cus_2"));
    }

    @Test
    void refusesUnknownAppsWrongTokensAndTheAppApiKey() {
        String token = customers.identify(appId(), identify("cus_1", false)).apiToken();

        assertThat(customers.byMantleCustomerToken("app_unknown", token)).isEmpty();
        assertThat(customers.byMantleCustomerToken(null, token)).isEmpty();
        assertThat(customers.byMantleCustomerToken(mantleAppId(), null)).isEmpty();
        assertThat(customers.byMantleCustomerToken(mantleAppId(), "")).isEmpty();
        assertThat(customers.byMantleCustomerToken(mantleAppId(), token + "x")).isEmpty();
        assertThat(customers.byMantleCustomerToken(mantleAppId(), app.mantleApiKey())).isEmpty();
    }

    @Test
    void findsAnIdentifiedCustomerByItsReferenceWithinItsAccountOnly() {
        customers.identify(appId(), identify("cus_1", false));
        AccountCredentials other = accounts.create("Other");

        assertThat(customers.find(appId(), new CustomerId("cus_1")))
                .hasValueSatisfying(customer -> assertThat(customer.profile().platformId()).isEqualTo("cus_1"));
        assertThat(customers.find(appId(), new CustomerId("cus_2"))).isEmpty();
        assertThat(customers.find(other.account().id(), new CustomerId("cus_1"))).isEmpty();
    }

    @Test
    void theReferenceIsThePlatformIdElseTheShopDomain() {
        customers.identify(appId(), new IdentifyCommand("shopify", null, "acme.myshopify.com", null, null, null, null,
                null, false));
        customers.identify(appId(), new IdentifyCommand("shopify", "gid://shopify/Shop/1", "b.myshopify.com", null,
                null, null, null, null, false));

        assertThat(customerStore.find(appId(), new CustomerId("acme.myshopify.com"))).isPresent();
        assertThat(customerStore.find(appId(), new CustomerId("gid://shopify/Shop/1"))).isPresent();
        assertThat(customerStore.find(appId(), new CustomerId("b.myshopify.com"))).isEmpty();
    }

    @Test
    void tokensSurviveARestartWithTheSameKeyAndTheStoredKeyIsMadeOnce() {
        InMemoryServerSecretStore secrets = new InMemoryServerSecretStore();
        String token = service(CustomerTokens.withStoredSecret(secrets)).identify(appId(), identify("cus_1", false))
                .apiToken();
        CustomerService restarted = service(CustomerTokens.withStoredSecret(secrets));

        assertThat(restarted.identify(appId(), identify("cus_1", false)).apiToken()).isEqualTo(token);
        assertThat(restarted.byMantleCustomerToken(mantleAppId(), token)).isPresent();
    }

    @Test
    void aNewKeyHandsOutANewTokenAtTheNextIdentify() {
        String old = customers.identify(appId(), identify("cus_1", false)).apiToken();
        CustomerService rekeyed = service(CustomerTokens.withSecret(KEY + "-rotated"));

        assertThat(rekeyed.byMantleCustomerToken(mantleAppId(), old)).isPresent();
        String fresh = rekeyed.identify(appId(), identify("cus_1", false)).apiToken();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(rekeyed.byMantleCustomerToken(mantleAppId(), fresh)).isPresent();
        assertThat(rekeyed.byMantleCustomerToken(mantleAppId(), old)).isEmpty();
    }

    @Test
    void theTokenIsTheHmacOfAccountVersionAndReference() {
        // Computed independently: HMAC-SHA256(key, "mantle-customer-token\0<account>\0<version>\0<reference>").
        assertThat(CustomerTokens.withSecret(KEY).derive(
                new AccountId(java.util.UUID.fromString("0190a8e0-0000-7000-8000-000000000001")),
                new CustomerId("cus_1"), 3)).isEqualTo("mct_Ha2IREAW08Lc6mO8MP6DoBNrhxKVtdrqVKxgIO0WGqo");
    }

    @Test
    void refusesShortKeys() {
        assertThatThrownBy(() -> CustomerTokens.withSecret("too-short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes");
    }

    @Test
    void validatesTheProfileNamingEveryBadField() {
        assertThatThrownBy(() -> customers.identify(appId(), new IdentifyCommand(null, null, null, "x".repeat(256),
                "bad\u0001mail", null, Map.of("k", "nul\u0000"), null, false)))
                .isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).errors().stream().map(FieldError::field).toList())
                .asList().containsExactlyInAnyOrder("platform", "name", "email", "customFields.k");
        assertThatThrownBy(() -> customers.identify(appId(),
                new IdentifyCommand("shopify", "123", null, null, null, null, null, null, false)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("myshopifyDomain");
        assertThatThrownBy(() -> customers.identify(appId(),
                new IdentifyCommand("stripe", null, null, null, null, null, null, null, false)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("platformId");
        assertThatThrownBy(() -> customers.identify(appId(),
                new IdentifyCommand("stripe", "", null, null, null, null, null, null, false)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("platformId");
        assertThat(customerStore.find(appId(), new CustomerId("123"))).isEmpty();
    }
}
