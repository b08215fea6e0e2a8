package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.Account;
import java.util.Objects;

/** An account as the store keeps it: with the hashes of its secrets, never the secrets. */
public record StoredAccount(Account account, String sequenceSecretHash, String mantleApiKeyHash) {

    public StoredAccount {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(sequenceSecretHash, "sequenceSecretHash");
        Objects.requireNonNull(mantleApiKeyHash, "mantleApiKeyHash");
    }
}
