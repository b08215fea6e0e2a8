package dev.usageevents.domain.service;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.IdempotencyKeys;
import dev.usageevents.domain.port.out.IdGenerator;
import dev.usageevents.domain.port.out.IdempotencyKeyStore;
import dev.usageevents.domain.port.out.IdempotencyKeyStore.KeyRecord;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.UUID;

/**
 * Idempotency keys over a store that arbitrates concurrent claims. A request without an event id gets one when
 * it claims its key, kept with the key: its retries, and a request with that key racing it, carry the same event
 * id and body, so the event store's own arbitration (one current event per account and event id, an exact
 * replay stores nothing) lets only one of them store an event, even when the first crashed before its answer
 * was recorded.
 */
public final class IdempotencyKeyService implements IdempotencyKeys {

    /** The longest key accepted (Stripe's limit; a UUID, a hash or a request id fits). */
    public static final int MAX_KEY_LENGTH = 255;
    static final String FIELD = "Idempotency-Key";

    private final IdempotencyKeyStore store;
    private final IdGenerator ids;

    public IdempotencyKeyService(IdempotencyKeyStore store, IdGenerator ids) {
        this.store = Objects.requireNonNull(store, "store");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    @Override
    public Claim claim(AccountId account, String key, byte[] requestDigest, String eventId) {
        check(key);
        String given = eventId != null ? eventId : ids.newId().toString();
        KeyRecord record = store.claim(account, key, requestDigest, given, RETENTION);
        if (!MessageDigest.isEqual(record.requestDigest(), requestDigest)) {
            return new Claim(false, record.eventId(), record.storedId());
        }
        return new Claim(true, record.eventId(), record.storedId());
    }

    @Override
    public void answered(AccountId account, String key, UUID storedId) {
        store.answered(account, key, storedId);
    }

    @Override
    public void release(AccountId account, String key, byte[] requestDigest) {
        store.release(account, key, requestDigest);
    }

    private static void check(String key) {
        if (key == null || key.isEmpty()) {
            throw InvalidInputException.of(FIELD, "must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw InvalidInputException.of(FIELD, "must be at most " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw InvalidInputException.of(FIELD, "must be printable ASCII without spaces");
            }
        }
    }
}
