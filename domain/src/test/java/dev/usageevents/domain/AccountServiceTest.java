package dev.usageevents.domain;

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
                created.sequenceClientSecret())).contains(created.account());
        assertThat(accounts.byMantleApiKey(created.account().mantleAppId(), created.mantleApiKey()))
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

        assertThat(accounts.bySequenceCredentials(a.account().sequenceClientId(), "wrong")).isEmpty();
        assertThat(accounts.bySequenceCredentials(a.account().sequenceClientId(), b.sequenceClientSecret())).isEmpty();
        assertThat(accounts.bySequenceCredentials("unknown", a.sequenceClientSecret())).isEmpty();
        assertThat(accounts.bySequenceCredentials(null, null)).isEmpty();
        assertThat(accounts.byMantleApiKey(a.account().mantleAppId(), a.sequenceClientSecret())).isEmpty();
        assertThat(accounts.byMantleApiKey(a.account().mantleAppId(), null)).isEmpty();
    }

    /** A NUL reaching PostgreSQL fails the query: such credentials must be refused before any look-up. */
    @Test
    void credentialsWithControlCharactersOrTooLongAreRefusedWithoutALookUp() {
        AccountCredentials a = accounts.create("A");
        String id = a.account().sequenceClientId();
        String appId = a.account().mantleAppId();
        int before = store.lookups();

        for (String bad : new String[] {id + "\u0000", "\u0000", "a\nb", "\u0085", "\u007f", "", "x".repeat(513)}) {
            assertThat(accounts.bySequenceCredentials(bad, a.sequenceClientSecret())).as("id %s", bad).isEmpty();
            assertThat(accounts.bySequenceCredentialsIfCached(bad, a.sequenceClientSecret())).isEmpty();
            assertThat(accounts.byMantleApiKey(bad, a.mantleApiKey())).isEmpty();
            assertThat(accounts.byMantleApiKeyIfCached(bad, a.mantleApiKey())).isEmpty();
            assertThat(accounts.bySequenceCredentials(id, bad)).as("secret %s", bad).isEmpty();
            assertThat(accounts.byMantleApiKey(appId, bad)).isEmpty();
        }

        assertThat(store.lookups()).isEqualTo(before);
        assertThat(accounts.bySequenceCredentials(id, a.sequenceClientSecret())).contains(a.account());
        assertThat(store.lookups()).isEqualTo(before + 1);
    }

    @Test
    void rotationReplacesBothSecrets() {
        AccountCredentials old = accounts.create("A");
        AccountCredentials rotated = accounts.rotateSecrets(old.account().id()).orElseThrow();

        assertThat(rotated.account()).isEqualTo(old.account());
        assertThat(accounts.bySequenceCredentials(old.account().sequenceClientId(), old.sequenceClientSecret()))
                .isEmpty();
        assertThat(accounts.bySequenceCredentials(old.account().sequenceClientId(), rotated.sequenceClientSecret()))
                .isPresent();
        assertThat(accounts.byMantleApiKey(old.account().mantleAppId(), old.mantleApiKey())).isEmpty();
        assertThat(accounts.byMantleApiKey(old.account().mantleAppId(), rotated.mantleApiKey())).isPresent();
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
