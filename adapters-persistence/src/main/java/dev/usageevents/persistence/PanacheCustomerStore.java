package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.port.out.CustomerStore;
import dev.usageevents.domain.port.out.StoredCustomer;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Identified customers in PostgreSQL, through Panache. A save holds a transaction-scoped advisory lock on its
 * (account, reference), so concurrent identifies of one customer, in any instance, run one after the other.
 */
@ApplicationScoped
public class PanacheCustomerStore implements CustomerStore, PanacheRepositoryBase<CustomerEntity, UUID> {

    /** The first key of the two-key advisory locks on customers (the event writer uses one-key locks). */
    static final int LOCK_CLASS = 0x4D43;

    @Override
    public StoredCustomer save(AccountId accountId, CustomerId reference,
            Function<Optional<StoredCustomer>, StoredCustomer> change) {
        return StoreFailures.inTransaction(() -> lockedSave(accountId, reference, change));
    }

    private StoredCustomer lockedSave(AccountId accountId, CustomerId reference,
            Function<Optional<StoredCustomer>, StoredCustomer> change) {
        getEntityManager().createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1, ?2)) as locked")
                .setParameter(1, LOCK_CLASS)
                .setParameter(2, (accountId + "\0" + reference.value()).hashCode())
                .getSingleResult();
        CustomerEntity entity = entity(accountId, reference).orElse(null);
        StoredCustomer next = change.apply(Optional.ofNullable(entity).map(CustomerEntity::toDomain));
        if (!next.customer().accountId().equals(accountId) || !next.customer().reference().equals(reference)) {
            throw new IllegalArgumentException("a save cannot move a customer to another account or reference");
        }
        if (entity == null) {
            persist(CustomerEntity.from(next));
        } else {
            entity.set(next);
        }
        return next;
    }

    @Override
    public Optional<StoredCustomer> find(AccountId accountId, CustomerId reference) {
        return StoreFailures.inTransaction(() -> entity(accountId, reference).map(CustomerEntity::toDomain));
    }

    @Override
    public Optional<StoredCustomer> findByTokenHash(AccountId accountId, String tokenHash) {
        return StoreFailures.inTransaction(() -> find("tokenHash = ?1 and accountId = ?2", tokenHash, accountId.value())
                .firstResultOptional().map(CustomerEntity::toDomain));
    }

    private Optional<CustomerEntity> entity(AccountId accountId, CustomerId reference) {
        return find("accountId = ?1 and reference = ?2", accountId.value(), reference.value()).firstResultOptional();
    }
}
