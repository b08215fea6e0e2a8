package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.AccountId;
import java.util.List;
import java.util.Optional;

/** Where accounts and the hashes of their secrets live. */
public interface AccountStore {

    void create(StoredAccount account);

    Optional<StoredAccount> findById(AccountId id);

    Optional<StoredAccount> findBySequenceClientId(String clientId);

    Optional<StoredAccount> findByMantleAppId(String appId);

    /** All accounts, oldest first. */
    List<StoredAccount> list();

    /** Replaces the secret hashes; false when there is no such account. */
    boolean updateSecretHashes(AccountId id, String sequenceSecretHash, String mantleApiKeyHash);
}
