package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.AccountId;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Retry-safe ingestion of one event: a request sent again with the same {@code Idempotency-Key} (per account,
 * for {@link #RETENTION}) gets the first request's answer, whether or not its event named an id.
 */
public interface IdempotencyKeys {

    /** How long a key stands for its first request. */
    Duration RETENTION = Duration.ofHours(24);

    /**
     * Claims {@code key} for a request whose body has {@code requestDigest} and whose event names
     * {@code eventId} (null: none). Of concurrent claims, all get the same outcome.
     *
     * @throws dev.usageevents.domain.model.InvalidInputException if the key is empty, too long or not printable
     *         ASCII
     */
    Claim claim(AccountId account, String key, byte[] requestDigest, String eventId);

    /** Records that the event {@code storedId} answered the request of {@code key}. */
    void answered(AccountId account, String key, UUID storedId);

    /** Forgets the claim of a request that was refused, so that the key may be sent again with a corrected body. */
    void release(AccountId account, String key, byte[] requestDigest);

    /**
     * The outcome of a claim. {@code sameRequest} false: the key was used for another body. Otherwise the event id
     * to store the event under (the request's own, or one given to the key when the request named none, so that a
     * retry is an exact replay of the first request) and, once the first request was answered, its event.
     */
    record Claim(boolean sameRequest, String eventId, Optional<UUID> answer) {
    }
}
