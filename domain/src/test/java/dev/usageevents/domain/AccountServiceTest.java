package dev.usageevents.domain;

import static dev.usageevents.domain.port.in.Lookup.MAY_BLOCK;
import static dev.usageevents.domain.port.in.Lookup.WITHOUT_BLOCKING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.out.StoredAccount;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.InMemoryAccountStore;
import dev.usageevents.domain.testing.MutableClock;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccountServiceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    private final InMemoryAccountStore store = new InMemoryAccountStore();
    private final AccountService accounts = new AccountService(store, clock, new UuidV7Generator(clock));

    @Test
    void createsAnAccountWhoseSecretsOpenItAndAreStoredOnlyAsHashes() {
        AccountCredentials created = accounts.create("Acme");

        assertThat(created.account().name()).isEqualTo("Acme");
        assertThat(accounts.bySequenceCredentials(created.account().sequenceClientId(),
                created.sequenceClientSecret(), MAY_BLOCK)).contains(created.account());
        assertThat(accounts.byMantleApiKey(created.account().mantleAppId(), created.mantleApiKey(), MAY_BLOCK))
                .contains(created.account());
        StoredAccount stored = store.findById(created.account().id()).orElseThrow();
        assertThat(stored.sequenceSecretHash()).startsWith("sha256:").doesNotContain(created.sequenceClientSecret());
        assertThat(stored.mantleApiKeyHash()).startsWith("sha256:").doesNotContain(created.mantleApiKey());
        assertThat(created.toString()).doesNotContain(created.mantleApiKey());
    }

    @Test
    void refusesWrongSecretsUnknownIdsAndCrossedCredentials() {
        AccountCredentials a = accounts.create("A");
        AccountCredentials b = accounts.create("B");

        assertThat(accounts.bySequenceCredentials(a.account().sequenceClientId(), "wrong", MAY_BLOCK)).isEmpty();
        assertThat(accounts.bySequenceCredentials(a.account().sequenceClientId(), b.sequenceClientSecret(), MAY_BLOCK))
                .isEmpty();
        assertThat(accounts.bySequenceCredentials("unknown", a.sequenceClientSecret(), MAY_BLOCK)).isEmpty();
        assertThat(accounts.bySequenceCredentials(null, null, MAY_BLOCK)).isEmpty();
        assertThat(accounts.byMantleApiKey(a.account().mantleAppId(), a.sequenceClientSecret(), MAY_BLOCK)).isEmpty();
        assertThat(accounts.byMantleApiKey(a.account().mantleAppId(), null, MAY_BLOCK)).isEmpty();
    }

    /** The look-up an event-loop thread makes checks the secret as strictly as any other. */
    @Test
    void aLookupWithoutBlockingChecksTheSecretsAsAnyOther() {
        AccountCredentials a = accounts.create("A");
        AccountCredentials b = accounts.create("B");
        String id = a.account().sequenceClientId();
        String appId = a.account().mantleAppId();

        assertThat(accounts.bySequenceCredentials(id, a.sequenceClientSecret(), WITHOUT_BLOCKING))
                .contains(a.account());
        assertThat(accounts.byMantleApiKey(appId, a.mantleApiKey(), WITHOUT_BLOCKING)).contains(a.account());
        assertThat(accounts.bySequenceCredentials(id, b.sequenceClientSecret(), WITHOUT_BLOCKING)).isEmpty();
        assertThat(accounts.byMantleApiKey(appId, a.sequenceClientSecret(), WITHOUT_BLOCKING)).isEmpty();
        assertThat(accounts.bySequenceCredentials("unknown", a.sequenceClientSecret(), WITHOUT_BLOCKING)).isEmpty();
    }

    /** A NUL reaching PostgreSQL fails the query: such credentials must be refused before any look-up. */
    @Test
    void credentialsWithControlCharactersOrTooLongAreRefusedWithoutALookUp() {
        AccountCredentials a = accounts.create("A");
        String id = a.account().sequenceClientId();
        String appId = a.account().mantleAppId();
        int before = store.lookups();

        for (String bad : new String[] {id + "\u0000", "\u0000", "a\nb", "\u0085", "\u007f", "", "x".repeat(513)}) {
            assertThat(accounts.bySequenceCredentials(bad, a.sequenceClientSecret(), MAY_BLOCK)).as("id %s", bad)
                    .isEmpty();
            assertThat(accounts.bySequenceCredentials(bad, a.sequenceClientSecret(), WITHOUT_BLOCKING)).isEmpty();
            assertThat(accounts.byMantleApiKey(bad, a.mantleApiKey(), MAY_BLOCK)).isEmpty();
            assertThat(accounts.byMantleApiKey(bad, a.mantleApiKey(), WITHOUT_BLOCKING)).isEmpty();
            assertThat(accounts.bySequenceCredentials(id, bad, MAY_BLOCK)).as("secret %s", bad).isEmpty();
            assertThat(accounts.byMantleApiKey(appId, bad, MAY_BLOCK)).isEmpty();
        }

        assertThat(store.lookups()).isEqualTo(before);
        assertThat(accounts.bySequenceCredentials(id, a.sequenceClientSecret(), MAY_BLOCK)).contains(a.account());
        assertThat(store.lookups()).isEqualTo(before + 1);
    }

    @Test
    void rotationReplacesBothSecrets() {
        AccountCredentials old = accounts.create("A");
        AccountCredentials rotated = accounts.rotateSecrets(old.account().id()).orElseThrow();

        assertThat(rotated.account()).isEqualTo(old.account());
        String id = old.account().sequenceClientId();
        assertThat(accounts.bySequenceCredentials(id, old.sequenceClientSecret(), MAY_BLOCK)).isEmpty();
        assertThat(accounts.bySequenceCredentials(id, rotated.sequenceClientSecret(), MAY_BLOCK)).isPresent();
        assertThat(accounts.byMantleApiKey(old.account().mantleAppId(), old.mantleApiKey(), MAY_BLOCK)).isEmpty();
        assertThat(accounts.byMantleApiKey(old.account().mantleAppId(), rotated.mantleApiKey(), MAY_BLOCK))
                .isPresent();
        assertThat(accounts.rotateSecrets(new AccountId(UUID.randomUUID()))).isEmpty();
    }

    @Test
    void listsAccountsAndValidatesNames() {
        accounts.create("A");
        accounts.create("B");
        assertThat(accounts.list()).extracting(a -> a.name()).containsExactly("A", "B");
        assertThatThrownBy(() -> accounts.create(" ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> accounts.create("x".repeat(201))).isInstanceOf(InvalidInputException.class);
    }
}
