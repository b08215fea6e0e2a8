package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.IdempotencyKeyStore.KeyRecord;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The idempotency keys on real PostgreSQL: one record per account and key, whoever claims it first. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PostgresIdempotencyKeyStoreTest {

    private static final Duration DAY = Duration.ofHours(24);
    private static final byte[] BODY = {1, 2, 3};
    private static final byte[] OTHER_BODY = {4, 5, 6};

    @Inject
    PostgresIdempotencyKeyStore store;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aKeyStandsForItsFirstRequestAndItsAnswer() {
        AccountId account = new AccountId(UUID.randomUUID());
        KeyRecord first = store.claim(account, "k", BODY, "e-1", DAY);
        assertThat(first.requestDigest()).isEqualTo(BODY);
        assertThat(first.eventId()).isEqualTo("e-1");
        assertThat(first.storedId()).isEmpty();

        UUID stored = UUID.randomUUID();
        store.answered(account, "k", stored);
        store.answered(account, "k", UUID.randomUUID());

        KeyRecord again = store.claim(account, "k", OTHER_BODY, "e-2", DAY);
        assertThat(again.requestDigest()).as("the first request's").isEqualTo(BODY);
        assertThat(again.eventId()).isEqualTo("e-1");
        assertThat(again.storedId()).as("the first answer is kept").contains(stored);
    }

    @Test
    void keysArePerAccount() {
        AccountId one = new AccountId(UUID.randomUUID());
        AccountId two = new AccountId(UUID.randomUUID());
        store.claim(one, "k", BODY, "e-1", DAY);
        assertThat(store.claim(two, "k", OTHER_BODY, "e-2", DAY).eventId()).isEqualTo("e-2");
    }

    @Test
    void anExpiredKeyIsTakenOverAndAReleasedOneIsFree() throws Exception {
        AccountId account = new AccountId(UUID.randomUUID());
        store.claim(account, "old", BODY, "e-1", DAY);
        store.answered(account, "old", UUID.randomUUID());
        try (Connection connection = dataSource.getConnection(); PreparedStatement age = connection.prepareStatement(
                "update idempotency_keys set created_at = now() - interval '25 hours' where account_id = ?")) {
            age.setObject(1, account.value());
            age.executeUpdate();
        }
        KeyRecord renewed = store.claim(account, "old", OTHER_BODY, "e-2", DAY);
        assertThat(renewed.requestDigest()).isEqualTo(OTHER_BODY);
        assertThat(renewed.eventId()).isEqualTo("e-2");
        assertThat(renewed.storedId()).isEmpty();

        store.claim(account, "refused", BODY, "e-3", DAY);
        store.release(account, "refused", OTHER_BODY);
        assertThat(store.claim(account, "refused", OTHER_BODY, "e-4", DAY).eventId())
                .as("released only by its own request").isEqualTo("e-3");
        store.release(account, "refused", BODY);
        assertThat(store.claim(account, "refused", OTHER_BODY, "e-5", DAY).eventId()).isEqualTo("e-5");
    }

    @Test
    void concurrentClaimsOfOneKeyAllGetTheRecordOfOne() throws Exception {
        AccountId account = new AccountId(UUID.randomUUID());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<KeyRecord>> claims = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String candidate = "e-" + i;
                claims.add(() -> store.claim(account, "race", new byte[] {(byte) candidate.hashCode()}, candidate,
                        DAY));
            }
            List<String> eventIds = new ArrayList<>();
            for (Future<KeyRecord> claim : pool.invokeAll(claims)) {
                eventIds.add(claim.get().eventId());
            }
            assertThat(eventIds).hasSize(32).containsOnly(eventIds.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(Optional.of(store.claim(account, "race", BODY, "late", DAY).eventId())).isNotEqualTo(
                Optional.of("late"));
    }
}
