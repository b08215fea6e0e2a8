package dev.usageevents.domain.testing;

import static dev.usageevents.domain.port.in.Lookup.MAY_BLOCK;
import static dev.usageevents.domain.port.in.Lookup.WITHOUT_BLOCKING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.port.out.StoredAccount;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AccountStore} must do, run against the in-memory store and the PostgreSQL one. The store may
 * hold accounts of other tests: every assertion names the accounts it made.
 */
public abstract class AccountStoreContract {

    protected abstract AccountStore store();

    private static StoredAccount newAccount(String name) {
        String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Account account = new Account(new AccountId(UUID.randomUUID()), name,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), "sqc_" + unique, "app_" + unique);
        return new StoredAccount(account, "sequence-hash-" + unique, "mantle-hash-" + unique);
    }

    @Test
    void findsAnAccountByItsIdAndByEachPublicIdWithItsHashes() {
        StoredAccount stored = newAccount("Acme");
        store().create(stored);

        assertThat(store().findById(stored.account().id())).contains(stored);
        assertThat(store().findBySequenceClientId(stored.account().sequenceClientId(), MAY_BLOCK)).contains(stored);
        assertThat(store().findByMantleAppId(stored.account().mantleAppId(), MAY_BLOCK)).contains(stored);
    }

    @Test
    void findsNothingForUnknownIds() {
        assertThat(store().findById(new AccountId(UUID.randomUUID()))).isEmpty();
        assertThat(store().findBySequenceClientId("sqc_unknown", MAY_BLOCK)).isEmpty();
        assertThat(store().findByMantleAppId("app_unknown", MAY_BLOCK)).isEmpty();
    }

    @Test
    void refusesASecondAccountWithTheSameId() {
        StoredAccount stored = newAccount("Twice");
        store().create(stored);

        StoredAccount again = new StoredAccount(new Account(stored.account().id(), "Twice again",
                stored.account().createdAt(), "sqc_other" + UUID.randomUUID(), "app_other" + UUID.randomUUID()),
                "a", "b");
        assertThatThrownBy(() -> store().create(again)).isInstanceOf(RuntimeException.class);
        assertThat(store().findById(stored.account().id())).contains(stored);
    }

    @Test
    void listsAccountsOldestFirst() {
        StoredAccount first = newAccount("First");
        StoredAccount made = newAccount("Second");
        StoredAccount second = new StoredAccount(new Account(made.account().id(), "Second",
                first.account().createdAt().plusSeconds(1), made.account().sequenceClientId(),
                made.account().mantleAppId()), made.sequenceSecretHash(), made.mantleApiKeyHash());
        store().create(first);
        store().create(second);

        assertThat(store().list()).filteredOn(a -> a.equals(first) || a.equals(second)).containsExactly(first, second);
    }

    @Test
    void replacesTheSecretHashesAndKeepsThePublicIds() {
        StoredAccount stored = newAccount("Rotating");
        store().create(stored);

        assertThat(store().updateSecretHashes(stored.account().id(), "new-sequence", "new-mantle")).isTrue();

        StoredAccount rotated = new StoredAccount(stored.account(), "new-sequence", "new-mantle");
        assertThat(store().findById(stored.account().id())).contains(rotated);
        assertThat(store().findBySequenceClientId(stored.account().sequenceClientId(), MAY_BLOCK)).contains(rotated);
        assertThat(store().findByMantleAppId(stored.account().mantleAppId(), MAY_BLOCK)).contains(rotated);
        assertThat(store().updateSecretHashes(new AccountId(UUID.randomUUID()), "a", "b")).isFalse();
    }

    /**
     * A look-up that must not block answers what one that may block answers, or nothing; after a rotation on this
     * instance, never the old hashes.
     */
    @Test
    void aLookupWithoutBlockingAnswersTheSameOrNothingAndNeverStaleHashesAfterARotation() {
        StoredAccount stored = newAccount("Hot path");
        store().create(stored);
        String clientId = stored.account().sequenceClientId();
        String appId = stored.account().mantleAppId();

        assertThat(store().findBySequenceClientId(clientId, MAY_BLOCK)).contains(stored);
        assertThat(store().findByMantleAppId(appId, MAY_BLOCK)).contains(stored);
        assertThat(store().findBySequenceClientId(clientId, WITHOUT_BLOCKING)).isIn(Optional.empty(),
                Optional.of(stored));
        assertThat(store().findByMantleAppId(appId, WITHOUT_BLOCKING)).isIn(Optional.empty(), Optional.of(stored));
        assertThat(store().findBySequenceClientId("sqc_unknown", WITHOUT_BLOCKING)).isEmpty();

        store().updateSecretHashes(stored.account().id(), "new-sequence", "new-mantle");
        StoredAccount rotated = new StoredAccount(stored.account(), "new-sequence", "new-mantle");
        assertThat(store().findBySequenceClientId(clientId, WITHOUT_BLOCKING)).isIn(Optional.empty(),
                Optional.of(rotated));
        assertThat(store().findByMantleAppId(appId, WITHOUT_BLOCKING)).isIn(Optional.empty(), Optional.of(rotated));
    }
}
