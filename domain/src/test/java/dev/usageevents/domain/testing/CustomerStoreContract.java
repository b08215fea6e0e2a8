package dev.usageevents.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.Customer;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.CustomerProfile;
import dev.usageevents.domain.port.out.CustomerStore;
import dev.usageevents.domain.port.out.ServerSecretStore;
import dev.usageevents.domain.port.out.StoredCustomer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CustomerStore} and {@link ServerSecretStore} must do. Run against the in-memory stores and
 * against PostgreSQL; each test works in an account of its own.
 */
public abstract class CustomerStoreContract {

    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");

    protected abstract CustomerStore store();

    protected abstract ServerSecretStore secrets();

    /** An account the store accepts customers for (the database needs its row). */
    protected abstract AccountId newAccount();

    private static StoredCustomer customer(AccountId account, String reference, String name, int version,
            String tokenHash) {
        CustomerProfile profile = CustomerProfile.of("shopify", reference, reference + ".myshopify.com", name,
                "owner@example.com", "Pro", Map.of("tier", 2, "tags", List.of("a", "b")), T0.minusSeconds(86_400));
        return new StoredCustomer(new Customer(UUID.randomUUID(), account, new CustomerId(reference), profile, T0, T0),
                version, tokenHash);
    }

    @Test
    void savesAndFindsACustomerByReferenceAndByTokenHash() {
        AccountId account = newAccount();
        StoredCustomer saved = store().save(account, new CustomerId("shop-1"),
                stored -> customer(account, "shop-1", "Shop One", 0, "sha256:" + UUID.randomUUID()));

        StoredCustomer found = store().find(account, new CustomerId("shop-1")).orElseThrow();
        assertThat(found).isEqualTo(saved);
        assertThat(found.customer().profile().customFields().values()).containsEntry("tier", 2);
        assertThat(found.customer().profile().createdAt()).isEqualTo(T0.minusSeconds(86_400));
        assertThat(store().findByTokenHash(account, saved.tokenHash())).contains(saved);
        assertThat(store().findByTokenHash(account, "sha256:other")).isEmpty();
        assertThat(store().find(account, new CustomerId("shop-2"))).isEmpty();
    }

    @Test
    void aSecondSaveSeesTheFirstAndReplacesIt() {
        AccountId account = newAccount();
        CustomerId reference = new CustomerId("shop-1");
        StoredCustomer first = store().save(account, reference,
                stored -> customer(account, "shop-1", "Before", 0, "sha256:first-" + UUID.randomUUID()));
        List<Optional<StoredCustomer>> seen = new ArrayList<>();
        StoredCustomer second = store().save(account, reference, stored -> {
            seen.add(stored);
            return new StoredCustomer(new Customer(stored.orElseThrow().customer().id(), account, reference,
                    customer(account, "shop-1", "After", 1, "x").customer().profile(), T0, T0.plusSeconds(5)),
                    1, "sha256:second-" + UUID.randomUUID());
        });

        assertThat(seen).containsExactly(Optional.of(first));
        assertThat(store().find(account, reference)).contains(second);
        assertThat(store().findByTokenHash(account, first.tokenHash())).isEmpty();
        assertThat(store().findByTokenHash(account, second.tokenHash()).orElseThrow().customer().profile().name())
                .isEqualTo("After");
    }

    @Test
    void keepsAbsentFieldsAbsent() {
        AccountId account = newAccount();
        CustomerProfile minimal = CustomerProfile.of("stripe", "cus_1", null, null, null, null, null, null);
        StoredCustomer saved = store().save(account, new CustomerId("cus_1"), stored -> new StoredCustomer(
                new Customer(UUID.randomUUID(), account, new CustomerId("cus_1"), minimal, T0, T0), 0,
                "sha256:" + UUID.randomUUID()));

        assertThat(store().find(account, new CustomerId("cus_1"))).contains(saved);
        assertThat(saved.customer().profile().customFields()).isNull();
    }

    @Test
    void accountsAreIsolated() {
        AccountId mine = newAccount();
        AccountId theirs = newAccount();
        String hash = "sha256:" + UUID.randomUUID();
        store().save(mine, new CustomerId("same"), stored -> customer(mine, "same", "Mine", 0, hash));
        store().save(theirs, new CustomerId("same"),
                stored -> customer(theirs, "same", "Theirs", 0, "sha256:" + UUID.randomUUID()));

        assertThat(store().find(mine, new CustomerId("same")).orElseThrow().customer().profile().name())
                .isEqualTo("Mine");
        assertThat(store().findByTokenHash(theirs, hash)).isEmpty();
    }

    @Test
    void concurrentSavesOfOneCustomerRunOneAfterTheOther() throws Exception {
        AccountId account = newAccount();
        CustomerId reference = new CustomerId("contested");
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<StoredCustomer>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return store().save(account, reference, stored -> {
                        int version = stored.map(s -> s.tokenVersion() + 1).orElse(0);
                        return customer(account, "contested", "v" + version, version,
                                "sha256:contested-" + account + "-" + version);
                    });
                }));
            }
            start.countDown();
            List<Integer> versions = new ArrayList<>();
            for (Future<StoredCustomer> f : futures) {
                versions.add(f.get(60, TimeUnit.SECONDS).tokenVersion());
            }
            assertThat(versions).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, threads).boxed().toList());
            assertThat(store().find(account, reference).orElseThrow().tokenVersion()).isEqualTo(threads - 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aServerSecretIsCreatedOnceAndThenKept() {
        String name = "contract-" + UUID.randomUUID();
        String first = secrets().getOrCreate(name, () -> "first-value");
        String second = secrets().getOrCreate(name, () -> "second-value");

        assertThat(first).isEqualTo("first-value");
        assertThat(second).isEqualTo("first-value");
    }
}
