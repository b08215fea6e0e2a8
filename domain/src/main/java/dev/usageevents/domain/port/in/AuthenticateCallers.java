package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.Account;
import java.util.Optional;

/** Checks a caller's credentials in constant time and tells whose account they open. */
public interface AuthenticateCallers {

    /** Sequence (and gRPC): HTTP Basic with the client id and secret. */
    Optional<Account> bySequenceCredentials(String clientId, String clientSecret);

    /** Mantle: the app id and the app's API key. */
    Optional<Account> byMantleApiKey(String appId, String apiKey);

    /**
     * {@link #bySequenceCredentials} answered from memory, never blocking: the account when the credentials are
     * valid and its look-up is cached; empty otherwise, and then only {@link #bySequenceCredentials}, called where
     * blocking is allowed, has the answer.
     */
    Optional<Account> bySequenceCredentialsIfCached(String clientId, String clientSecret);

    /** {@link #byMantleApiKey} answered from memory, never blocking, as {@link #bySequenceCredentialsIfCached}. */
    Optional<Account> byMantleApiKeyIfCached(String appId, String apiKey);
}
