package dev.usageevents.domain.service;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.Customer;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.CustomerProfile;
import dev.usageevents.domain.port.in.AuthenticateCustomers;
import dev.usageevents.domain.port.in.CustomerAccess;
import dev.usageevents.domain.port.in.FindCustomers;
import dev.usageevents.domain.port.in.IdentifiedCustomer;
import dev.usageevents.domain.port.in.IdentifyCommand;
import dev.usageevents.domain.port.in.IdentifyCustomers;
import dev.usageevents.domain.port.in.Lookup;
import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.port.out.CustomerStore;
import dev.usageevents.domain.port.out.IdGenerator;
import dev.usageevents.domain.port.out.StoredAccount;
import dev.usageevents.domain.port.out.StoredCustomer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Identified customers and their API tokens. A token is derived from the customer and a version
 * ({@link CustomerTokens}); the store keeps the version and the token's hash. Identify hands the current token out
 * again, rotation bumps the version, and authentication compares hashes in constant time.
 */
public final class CustomerService implements IdentifyCustomers, AuthenticateCustomers, FindCustomers {

    private final CustomerStore customers;
    private final AccountStore accounts;
    private final CustomerTokens tokens;
    private final Clock clock;
    private final IdGenerator ids;

    public CustomerService(CustomerStore customers, AccountStore accounts, CustomerTokens tokens, Clock clock,
            IdGenerator ids) {
        this.customers = customers;
        this.accounts = accounts;
        this.tokens = tokens;
        this.clock = clock;
        this.ids = ids;
    }

    @Override
    public IdentifiedCustomer identify(AccountId accountId, IdentifyCommand command) {
        CustomerProfile profile = CustomerProfile.of(command.platform(), command.platformId(),
                command.myshopifyDomain(), command.name(), command.email(), command.platformPlanName(),
                command.customFields(), command.createdAt());
        CustomerId reference = profile.reference();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        StoredCustomer saved = customers.save(accountId, reference, stored -> {
            Customer customer = stored.map(s -> s.customer().reidentified(profile, now))
                    .orElseGet(() -> new Customer(ids.newId(), accountId, reference, profile, now, now));
            int version = stored.map(s -> command.rotateApiToken() ? s.tokenVersion() + 1 : s.tokenVersion())
                    .orElse(0);
            // The hash is always that of the token derived now: should the key have changed since, identify hands
            // out the token of the new key and the old one stops working.
            return new StoredCustomer(customer, version, Secrets.hash(tokens.derive(accountId, reference, version)));
        });
        return new IdentifiedCustomer(saved.customer(), tokens.derive(accountId, reference, saved.tokenVersion()));
    }

    @Override
    public Optional<Customer> find(AccountId accountId, CustomerId reference) {
        return customers.find(accountId, reference).map(StoredCustomer::customer);
    }

    @Override
    public Optional<CustomerAccess> byMantleCustomerToken(String appId, String token) {
        if (!CredentialText.plausible(appId, token)) {
            return Optional.empty();
        }
        Optional<StoredAccount> account = accounts.findByMantleAppId(appId, Lookup.MAY_BLOCK);
        Optional<StoredCustomer> customer = account.isEmpty() ? Optional.empty()
                : customers.findByTokenHash(account.get().account().id(), Secrets.hash(token));
        boolean ok = Secrets.matches(token, customer.map(StoredCustomer::tokenHash).orElse(null));
        return ok ? Optional.of(new CustomerAccess(account.get().account(), customer.get().customer().reference()))
                : Optional.empty();
    }
}
