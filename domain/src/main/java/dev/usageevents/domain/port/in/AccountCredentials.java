package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.Account;
import java.util.Objects;

/** An account with its secrets in clear: shown once, at creation or rotation, never again. */
public record AccountCredentials(Account account, String sequenceClientSecret, String mantleApiKey) {

    public AccountCredentials {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(sequenceClientSecret, "sequenceClientSecret");
        Objects.requireNonNull(mantleApiKey, "mantleApiKey");
    }

    @Override
    public String toString() {
        return "AccountCredentials[account=" + account + ", secrets=<hidden>]";
    }
}
