package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.in.Lookup;
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
 * that made it and within that time on the others. A look-up {@link Lookup#WITHOUT_BLOCKING} (an event-loop
 * thread's) is answered from that cache only.
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

    /** The cached answer if fresh; else, if the look-up may block, the loaded one (then cached). */
    private Optional<StoredAccount> lookUp(String key, Lookup lookup, Supplier<Optional<StoredAccount>> load) {
        Cached hit = fresh(key);
        if (hit != null) {
            return hit.account();
        }
        if (lookup == Lookup.WITHOUT_BLOCKING) {
            return Optional.empty();
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
    public Optional<StoredAccount> findBySequenceClientId(String clientId, Lookup lookup) {
        return lookUp("sequence:" + clientId, lookup, () -> find("sequenceClientId", clientId).firstResultOptional()
                .map(AccountEntity::toDomain));
    }

    @Override
    public Optional<StoredAccount> findByMantleAppId(String appId, Lookup lookup) {
        return lookUp("mantle:" + appId, lookup, () -> find("mantleAppId", appId).firstResultOptional()
                .map(AccountEntity::toDomain));
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
