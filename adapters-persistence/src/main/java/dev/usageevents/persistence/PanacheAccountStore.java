package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.port.out.StoredAccount;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Accounts in PostgreSQL, through Panache. The look-ups that authenticate every request (by Sequence client id,
 * by Mantle app id) are cached for {@code usage.auth.cache-ttl}: a rotation takes effect at once on the instance
 * that made it and within that time on the others.
 */
@ApplicationScoped
public class PanacheAccountStore implements AccountStore, PanacheRepositoryBase<AccountEntity, UUID> {

    private record Cached(Optional<StoredAccount> account, long expiresAt) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final long ttlNanos;

    PanacheAccountStore(StoreConfig config) {
        this.ttlNanos = config.authCacheTtl().toNanos();
    }

    /** The cached answer for the key if it has not expired, else null. */
    private Cached fresh(String key) {
        Cached hit = cache.get(key);
        return hit != null && hit.expiresAt() - System.nanoTime() > 0 ? hit : null;
    }

    private Optional<StoredAccount> fromMemory(String key) {
        Cached hit = fresh(key);
        return hit == null ? Optional.empty() : hit.account();
    }

    private Optional<StoredAccount> cached(String key, Supplier<Optional<StoredAccount>> load) {
        Cached hit = fresh(key);
        if (hit != null) {
            return hit.account();
        }
        long now = System.nanoTime();
        Optional<StoredAccount> account = StoreFailures.inTransaction(load);
        if (ttlNanos > 0) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(key, new Cached(account, now + ttlNanos));
        }
        return account;
    }

    @Override
    public void create(StoredAccount account) {
        StoreFailures.inTransaction(() -> {
            persist(AccountEntity.from(account));
            return null;
        });
    }

    @Override
    public Optional<StoredAccount> findById(AccountId id) {
        return StoreFailures.inTransaction(() -> findByIdOptional(id.value()).map(AccountEntity::toDomain));
    }

    @Override
    public Optional<StoredAccount> findBySequenceClientId(String clientId) {
        return cached("sequence:" + clientId, () -> find("sequenceClientId", clientId).firstResultOptional()
                .map(AccountEntity::toDomain));
    }

    @Override
    public Optional<StoredAccount> findByMantleAppId(String appId) {
        return cached("mantle:" + appId, () -> find("mantleAppId", appId).firstResultOptional()
                .map(AccountEntity::toDomain));
    }

    @Override
    public Optional<StoredAccount> cachedBySequenceClientId(String clientId) {
        return fromMemory("sequence:" + clientId);
    }

    @Override
    public Optional<StoredAccount> cachedByMantleAppId(String appId) {
        return fromMemory("mantle:" + appId);
    }

    @Override
    public List<StoredAccount> list() {
        return StoreFailures.inTransaction(() -> listAll(Sort.by("createdAt").and("id")).stream()
                .map(AccountEntity::toDomain).toList());
    }

    @Override
    public boolean updateSecretHashes(AccountId id, String sequenceSecretHash, String mantleApiKeyHash) {
        boolean updated = StoreFailures.inTransaction(() -> update(
                "sequenceSecretHash = ?1, mantleApiKeyHash = ?2 where id = ?3",
                sequenceSecretHash, mantleApiKeyHash, id.value())) == 1;
        cache.clear();
        return updated;
    }
}
