package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.Account;
import java.util.Optional;

/**
 * Checks a caller's credentials in constant time and tells whose account they open. With
 * {@link Lookup#WITHOUT_BLOCKING} an empty answer means "bad credentials, or not known without a query".
 */
public interface AuthenticateCallers {

    /** Sequence (and gRPC): HTTP Basic with the client id and secret. */
    Optional<Account> bySequenceCredentials(String clientId, String clientSecret, Lookup lookup);

    /** Mantle: the app id and the app's API key. */
    Optional<Account> byMantleApiKey(String appId, String apiKey, Lookup lookup);
}
