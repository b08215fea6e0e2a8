package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.in.Lookup;
import java.util.List;
import java.util.Optional;

/** Where accounts and the hashes of their secrets live. */
public interface AccountStore {

    void create(StoredAccount account);

    Optional<StoredAccount> findById(AccountId id);

    /**
     * The account with this Sequence client id. {@link Lookup#WITHOUT_BLOCKING} answers at once what the store
     * can tell without a query, and empty otherwise; a store may always answer it empty.
     */
    Optional<StoredAccount> findBySequenceClientId(String clientId, Lookup lookup);

    /** The account with this Mantle app id, as {@link #findBySequenceClientId}. */
    Optional<StoredAccount> findByMantleAppId(String appId, Lookup lookup);

    /** All accounts, oldest first. */
    List<StoredAccount> list();

    /** Replaces the secret hashes; false when there is no such account. */
    boolean updateSecretHashes(AccountId id, String sequenceSecretHash, String mantleApiKeyHash);
}
