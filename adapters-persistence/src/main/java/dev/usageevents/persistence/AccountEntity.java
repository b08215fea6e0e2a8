package dev.usageevents.persistence;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.StoredAccount;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "accounts")
public class AccountEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sequence_client_id", nullable = false, unique = true)
    public String sequenceClientId;

    @Column(name = "sequence_secret_hash", nullable = false)
    public String sequenceSecretHash;

    @Column(name = "mantle_app_id", nullable = false, unique = true)
    public String mantleAppId;

    @Column(name = "mantle_api_key_hash", nullable = false)
    public String mantleApiKeyHash;

    static AccountEntity from(StoredAccount stored) {
        Account account = stored.account();
        AccountEntity entity = new AccountEntity();
        entity.id = account.id().value();
        entity.name = account.name();
        entity.createdAt = account.createdAt();
        entity.sequenceClientId = account.sequenceClientId();
        entity.sequenceSecretHash = stored.sequenceSecretHash();
        entity.mantleAppId = account.mantleAppId();
        entity.mantleApiKeyHash = stored.mantleApiKeyHash();
        return entity;
    }

    StoredAccount toDomain() {
        return new StoredAccount(new Account(new AccountId(id), name, createdAt, sequenceClientId, mantleAppId),
                sequenceSecretHash, mantleApiKeyHash);
    }
}
