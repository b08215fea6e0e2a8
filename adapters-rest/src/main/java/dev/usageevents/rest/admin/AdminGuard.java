package dev.usageevents.rest.admin;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** The admin API's only credential: {@code Authorization: Bearer $USAGE_ADMIN_TOKEN}, compared in constant time. */
@Singleton
class AdminGuard {

    /** The {@code WWW-Authenticate} of a 401. */
    static final String CHALLENGE = "Bearer realm=\"usage-events admin\"";

    private final Optional<byte[]> expected;

    AdminGuard(AdminConfig config) {
        this.expected = config.token().filter(t -> !t.isBlank()).map(AdminGuard::digest);
    }

    void check(String authorization) {
        if (expected.isEmpty()) {
            throw new AdminApiException(503, "AdminApiDisabled",
                    "The admin API is disabled: start the service with USAGE_ADMIN_TOKEN set");
        }
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : "";
        if (!MessageDigest.isEqual(expected.get(), digest(presented))) {
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
