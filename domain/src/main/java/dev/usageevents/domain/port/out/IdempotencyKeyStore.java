package dev.usageevents.domain.port.out;

import dev.usageevents.domain.model.AccountId;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The idempotency keys of an account's requests, kept where every instance sees them and across restarts. The
 * store is the arbiter between concurrent requests with one key: a claim is atomic, so that all of them get the
 * one record that the first made.
 */
public interface IdempotencyKeyStore {

    /**
     * The record of {@code key}: the one a request made within the last {@code retention}, else a new one made of
     * {@code requestDigest} and {@code eventId} (with no answer yet).
     */
    KeyRecord claim(AccountId account, String key, byte[] requestDigest, String eventId, Duration retention);

    /** Records the stored event that answered the request of {@code key} (the first answer is kept). */
    void answered(AccountId account, String key, UUID storedId);

    /** Forgets a record without an answer, made from {@code requestDigest} (its request was refused). */
    void release(AccountId account, String key, byte[] requestDigest);

    /** What a key stands for: its request's digest, the event id it was given, and its answer once there is one. */
    record KeyRecord(byte[] requestDigest, String eventId, Optional<UUID> storedId) {
    }
}
