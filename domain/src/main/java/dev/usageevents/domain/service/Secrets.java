package dev.usageevents.domain.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Secrets and their hashes. Secrets are 256 random bits, so a fast hash (SHA-256) is enough to keep a stolen
 * table useless; comparisons take the same time whatever they find.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "sha256:";
    /** Compared against when no stored hash exists, so that unknown ids take as long as wrong secrets. */
    private static final String NO_HASH = hash("no such credential");

    private Secrets() {
    }

    /** A new random token: {@code prefix} then {@code bytes} random bytes in URL-safe Base64. */
    public static String newToken(String prefix, int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }

    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether {@code presented} hashes to {@code storedHash}, in constant time; a null hash never matches. */
    public static boolean matches(String presented, String storedHash) {
        String expected = storedHash == null ? NO_HASH : storedHash;
        String actual = hash(presented == null ? "" : presented);
        boolean equal = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                actual.getBytes(StandardCharsets.US_ASCII));
        return equal && storedHash != null && presented != null;
    }
}
