package dev.usageevents.domain.service;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.in.AuthenticateCallers;
import dev.usageevents.domain.port.in.Lookup;
import dev.usageevents.domain.port.in.ManageAccounts;
import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.port.out.IdGenerator;
import dev.usageevents.domain.port.out.StoredAccount;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Accounts and their credentials: secrets are generated here, shown once, and stored only as hashes. Credentials
 * that cannot be valid ({@link CredentialText}) are refused before any look-up, whatever channel presents them.
 */
public final class AccountService implements ManageAccounts, AuthenticateCallers {

    private final AccountStore store;
    private final Clock clock;
    private final IdGenerator ids;

    public AccountService(AccountStore store, Clock clock, IdGenerator ids) {
        this.store = store;
        this.clock = clock;
        this.ids = ids;
    }

    @Override
    public AccountCredentials create(String name) {
        Account account = new Account(new AccountId(ids.newId()), Account.validateName(name),
                clock.instant().truncatedTo(ChronoUnit.MILLIS), Secrets.newToken("sqc_", 12),
                Secrets.newToken("app_", 12));
        String sequenceSecret = newSequenceSecret();
        String mantleKey = newMantleApiKey();
        store.create(new StoredAccount(account, Secrets.hash(sequenceSecret), Secrets.hash(mantleKey)));
        return new AccountCredentials(account, sequenceSecret, mantleKey);
    }

    @Override
    public List<Account> list() {
        return store.list().stream().map(StoredAccount::account).toList();
    }

    @Override
    public Optional<AccountCredentials> rotateSecrets(AccountId id) {
        Optional<StoredAccount> stored = store.findById(id);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        String sequenceSecret = newSequenceSecret();
        String mantleKey = newMantleApiKey();
        if (!store.updateSecretHashes(id, Secrets.hash(sequenceSecret), Secrets.hash(mantleKey))) {
            return Optional.empty();
        }
        return Optional.of(new AccountCredentials(stored.get().account(), sequenceSecret, mantleKey));
    }

    @Override
    public Optional<Account> bySequenceCredentials(String clientId, String clientSecret, Lookup lookup) {
        if (!CredentialText.plausible(clientId, clientSecret)) {
            return Optional.empty();
        }
        return sequenceMatch(store.findBySequenceClientId(clientId, lookup), clientSecret);
    }

    @Override
    public Optional<Account> byMantleApiKey(String appId, String apiKey, Lookup lookup) {
        if (!CredentialText.plausible(appId, apiKey)) {
            return Optional.empty();
        }
        return mantleMatch(store.findByMantleAppId(appId, lookup), apiKey);
    }

    private static Optional<Account> sequenceMatch(Optional<StoredAccount> stored, String clientSecret) {
        boolean ok = Secrets.matches(clientSecret, stored.map(StoredAccount::sequenceSecretHash).orElse(null));
        return ok ? stored.map(StoredAccount::account) : Optional.empty();
    }

    private static Optional<Account> mantleMatch(Optional<StoredAccount> stored, String apiKey) {
        boolean ok = Secrets.matches(apiKey, stored.map(StoredAccount::mantleApiKeyHash).orElse(null));
        return ok ? stored.map(StoredAccount::account) : Optional.empty();
    }

    private static String newSequenceSecret() {
        return Secrets.newToken("sqs_", 32);
    }

    private static String newMantleApiKey() {
        return Secrets.newToken("mak_", 32);
    }
}
