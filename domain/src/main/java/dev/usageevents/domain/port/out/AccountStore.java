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

    /**
     * The account {@link #findBySequenceClientId} would find, if the store has it in memory (a recent look-up);
     * empty when only a query could tell. Never blocks. A store without such a memory always answers empty.
     */
    default Optional<StoredAccount> cachedBySequenceClientId(String clientId) {
        return Optional.empty();
    }

    /** As {@link #cachedBySequenceClientId}, for {@link #findByMantleAppId}. */
    default Optional<StoredAccount> cachedByMantleAppId(String appId) {
        return Optional.empty();
    }

    /** All accounts, oldest first. */
    List<StoredAccount> list();

    /** Replaces the secret hashes; false when there is no such account. */
    boolean updateSecretHashes(AccountId id, String sequenceSecretHash, String mantleApiKeyHash);
}
