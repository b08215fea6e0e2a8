package dev.usageevents.domain.service;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.port.out.ServerSecretStore;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Customer API tokens, derived rather than stored: {@code mct_} + Base64url(HMAC-SHA256(key, account, version,
 * customer reference)). The same customer and version always give the same token, so identify can hand the
 * current token out again while the store keeps only its hash; a new version (rotation) gives a new, unrelated
 * token. Without the key the tokens cannot be computed, and a stolen table of hashes gives none of them.
 */
public final class CustomerTokens {

    /** The name of the key in the {@link ServerSecretStore}, when no key is configured. */
    public static final String STORED_KEY_NAME = "mantle-customer-token-key";
    public static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "mct_";

    private final SecretKeySpec key;

    private CustomerTokens(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the customer token key must have at least " + MIN_KEY_BYTES + " bytes (got " + key.length + ")");
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** Tokens keyed by a configured secret of at least {@value #MIN_KEY_BYTES} bytes (UTF-8). */
    public static CustomerTokens withSecret(String secret) {
        return new CustomerTokens(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Tokens keyed by a secret generated once and kept in {@code store}, shared by every instance. */
    public static CustomerTokens withStoredSecret(ServerSecretStore store) {
        return withSecret(store.getOrCreate(STORED_KEY_NAME, () -> Secrets.newToken("", 32)));
    }

    /** The token of {@code version} for the customer {@code reference} of {@code accountId}. */
    public String derive(AccountId accountId, CustomerId reference, int version) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            // Account ids and versions have a fixed alphabet and references contain no control characters, so
            // the NUL separators make the input unambiguous.
            String input = "mantle-customer-token\0" + accountId + "\0" + version + "\0" + reference.value();
            byte[] digest = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
