package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.port.out.StoredAccount;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Accounts in PostgreSQL, through Panache. */
@ApplicationScoped
public class PanacheAccountStore implements AccountStore, PanacheRepositoryBase<AccountEntity, UUID> {

    @Override
    @Transactional
    public void create(StoredAccount account) {
        StoreFailures.guard(() -> {
            persist(AccountEntity.from(account));
            return null;
        });
    }

    @Override
    @Transactional
    public Optional<StoredAccount> findById(AccountId id) {
        return StoreFailures.guard(() -> findByIdOptional(id.value()).map(AccountEntity::toDomain));
    }

    @Override
    @Transactional
    public Optional<StoredAccount> findBySequenceClientId(String clientId) {
        return StoreFailures.guard(() -> find("sequenceClientId", clientId).firstResultOptional()
                .map(AccountEntity::toDomain));
    }

    @Override
    @Transactional
    public Optional<StoredAccount> findByMantleAppId(String appId) {
        return StoreFailures.guard(() -> find("mantleAppId", appId).firstResultOptional()
                .map(AccountEntity::toDomain));
    }

    @Override
    @Transactional
    public List<StoredAccount> list() {
        return StoreFailures.guard(() -> listAll(Sort.by("createdAt").and("id")).stream()
                .map(AccountEntity::toDomain).toList());
    }

    @Override
    @Transactional
    public boolean updateSecretHashes(AccountId id, String sequenceSecretHash, String mantleApiKeyHash) {
        return StoreFailures.guard(() -> update("sequenceSecretHash = ?1, mantleApiKeyHash = ?2 where id = ?3",
                sequenceSecretHash, mantleApiKeyHash, id.value())) == 1;
    }
}
