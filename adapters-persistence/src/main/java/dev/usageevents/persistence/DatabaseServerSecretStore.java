package dev.usageevents.persistence;

import dev.usageevents.domain.port.out.ServerSecretStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/** Server secrets in PostgreSQL: the first instance to ask stores its candidate, every other one reads it. */
@ApplicationScoped
public class DatabaseServerSecretStore implements ServerSecretStore {

    private final EntityManager entityManager;

    public DatabaseServerSecretStore(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    @Transactional
    public String getOrCreate(String name, Supplier<String> candidate) {
        entityManager.createNativeQuery("""
                insert into server_secrets (name, value, created_at) values (?1, ?2, now())
                on conflict (name) do nothing""")
                .setParameter(1, name)
                .setParameter(2, candidate.get())
                .executeUpdate();
        return (String) entityManager.createNativeQuery("select value from server_secrets where name = ?1")
                .setParameter(1, name)
                .getSingleResult();
    }
}
