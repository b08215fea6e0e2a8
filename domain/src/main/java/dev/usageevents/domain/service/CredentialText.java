package dev.usageevents.domain.service;

/**
 * What a presented credential (a client id or secret, an app id, an API key, a customer token) may hold before it
 * is looked up: no control characters (NUL, line breaks, C1...) and no more than {@link #MAX_LENGTH} characters.
 * Anything else cannot open an account, so it is refused here, for every channel, without a database round trip:
 * a NUL sent to PostgreSQL fails the query ({@code invalid byte sequence for encoding "UTF8": 0x00}), which would
 * turn a wrong credential into a 5xx at any caller's will.
 */
final class CredentialText {

    /** Far above any credential this service issues (at most a few dozen characters). */
    static final int MAX_LENGTH = 512;

    private CredentialText() {
    }

    /** Whether {@code text} could be a credential worth looking up. */
    static boolean plausible(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether every one of {@code texts} is {@link #plausible}. */
    static boolean plausible(String first, String second) {
        return plausible(first) && plausible(second);
    }
}
