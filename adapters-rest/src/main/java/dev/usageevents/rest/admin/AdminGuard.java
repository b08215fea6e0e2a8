package dev.usageevents.rest.admin;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The operator's only credential, {@code USAGE_ADMIN_TOKEN}, compared in constant time: the admin API's
 * {@code Authorization: Bearer} header and the console's operator sign-in both check it here.
 */
@Singleton
public class AdminGuard {

    /** The {@code WWW-Authenticate} of a 401. */
    static final String CHALLENGE = "Bearer realm=\"usage-events admin\"";

    private final Optional<byte[]> expected;

    AdminGuard(AdminConfig config) {
        this.expected = config.token().filter(t -> !t.isBlank()).map(AdminGuard::digest);
    }

    /** Whether an admin token is configured; without one, nobody is the operator. */
    public boolean enabled() {
        return expected.isPresent();
    }

    /** Whether {@code token} is the admin token (false when none is configured or {@code token} is null). */
    public boolean accepts(String token) {
        return expected.isPresent() && token != null && MessageDigest.isEqual(expected.get(), digest(token));
    }

    /** The admin API's check of an {@code Authorization} header: 503 when the API is off, 401 for a wrong token. */
    void check(String authorization) {
        if (!enabled()) {
            throw new AdminApiException(503, "AdminApiDisabled",
                    "The admin API is disabled: start the service with USAGE_ADMIN_TOKEN set");
        }
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : "";
        if (!accepts(presented)) {
            throw new AdminApiException(401, "Unauthorized",
                    "Send the admin token as 'Authorization: Bearer <USAGE_ADMIN_TOKEN>'");
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
