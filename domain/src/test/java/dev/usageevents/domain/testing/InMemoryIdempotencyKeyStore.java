package dev.usageevents.domain.testing;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.IdempotencyKeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Idempotency keys in memory, for tests: one record per account and key, the first claim's; kept forever. */
public final class InMemoryIdempotencyKeyStore implements IdempotencyKeyStore {

    private final Map<List<Object>, KeyRecord> records = new HashMap<>();

    @Override
    public synchronized KeyRecord claim(AccountId account, String key, byte[] requestDigest, String eventId,
            Duration retention) {
        return records.computeIfAbsent(List.of(account, key),
                k -> new KeyRecord(requestDigest, eventId, Optional.empty()));
    }

    @Override
    public synchronized void answered(AccountId account, String key, UUID storedId) {
        records.computeIfPresent(List.of(account, key), (k, r) -> r.storedId().isPresent() ? r
                : new KeyRecord(r.requestDigest(), r.eventId(), Optional.of(storedId)));
    }

    @Override
    public synchronized void release(AccountId account, String key, byte[] requestDigest) {
        records.computeIfPresent(List.of(account, key), (k, r) -> r.storedId().isEmpty()
                && Arrays.equals(r.requestDigest(), requestDigest) ? null : r);
    }
}
