package dev.usageevents.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.IdempotencyKeys;
import dev.usageevents.domain.port.out.IdempotencyKeyStore;
import dev.usageevents.domain.service.IdempotencyKeyService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdempotencyKeyServiceTest {

    /** One record per account and key, the first claim's. */
    private static final class MapStore implements IdempotencyKeyStore {
        final Map<List<Object>, KeyRecord> records = new HashMap<>();
        Duration retention;

        @Override
        public KeyRecord claim(AccountId account, String key, byte[] digest, String eventId, Duration retention) {
            this.retention = retention;
            return records.computeIfAbsent(List.of(account, key), k -> new KeyRecord(digest, eventId, Optional.empty()));
        }

        @Override
        public void answered(AccountId account, String key, UUID storedId) {
            records.computeIfPresent(List.of(account, key), (k, r) -> new KeyRecord(r.requestDigest(), r.eventId(),
                    Optional.of(storedId)));
        }

        @Override
        public void release(AccountId account, String key, byte[] digest) {
            records.remove(List.of(account, key));
        }
    }

    private final MapStore store = new MapStore();
    private final UUID generated = UUID.randomUUID();
    private final IdempotencyKeyService keys = new IdempotencyKeyService(store, () -> generated);
    private final AccountId account = new AccountId(UUID.randomUUID());

    @Test
    void aRequestWithoutEventIdGetsOneKeptWithTheKeyForADay() {
        IdempotencyKeys.Claim first = keys.claim(account, "k", new byte[] {1}, null);
        assertThat(first.sameRequest()).isTrue();
        assertThat(first.eventId()).isEqualTo(generated.toString());
        assertThat(first.answer()).isEmpty();
        assertThat(store.retention).isEqualTo(Duration.ofHours(24));

        UUID stored = UUID.randomUUID();
        keys.answered(account, "k", stored);
        IdempotencyKeys.Claim retry = keys.claim(account, "k", new byte[] {1}, null);
        assertThat(retry.sameRequest()).isTrue();
        assertThat(retry.eventId()).isEqualTo(generated.toString());
        assertThat(retry.answer()).contains(stored);
    }

    @Test
    void theRequestsOwnEventIdIsKeptAndAnotherBodyIsNotTheSameRequest() {
        assertThat(keys.claim(account, "k", new byte[] {1}, "inv-42").eventId()).isEqualTo("inv-42");
        assertThat(keys.claim(account, "k", new byte[] {2}, "inv-42").sameRequest()).isFalse();
    }

    @Test
    void keysMustBeOneTo255PrintableAsciiCharacters() {
        for (String bad : new String[] {"", "with space", "caf\u00e9", "tab\t", "k".repeat(256)}) {
            assertThatThrownBy(() -> keys.claim(account, bad, new byte[] {1}, null))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("Idempotency-Key");
        }
        assertThat(keys.claim(account, "k".repeat(255), new byte[] {1}, null).sameRequest()).isTrue();
        assertThat(store.records).hasSize(1);
    }
}
