package dev.usageevents.rest.console;

import dev.usageevents.domain.model.AccountId;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in this instance's memory: a session id is 32 random bytes that name nothing but an entry
 * here, so signing out or rotating an account's secrets ends it at once (a signed stateless cookie could not be
 * revoked). The cost: a restart signs everyone out, and behind a load balancer without sticky sessions each
 * instance knows only its own sessions. A session lasts {@link #LIFETIME} from sign-in.
 */
@Singleton
class ConsoleSessions {

    static final Duration LIFETIME = Duration.ofHours(8);
    /** More live sessions than this and the oldest are dropped: a flood of sign-ins cannot fill the heap. */
    static final int MAX_SESSIONS = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, ConsoleSession> sessions = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    ConsoleSession open(AccountId accountId, String label, String throttleKey) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> s.expiresAt().isBefore(now));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min((a, b) -> a.expiresAt().compareTo(b.expiresAt()))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        ConsoleSession session = new ConsoleSession(token(), token(), accountId, label, throttleKey,
                now.plus(LIFETIME));
        sessions.put(session.id(), session);
        return session;
    }

    Optional<ConsoleSession> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        ConsoleSession session = sessions.get(id);
        if (session == null || session.expiresAt().isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session of an account: its secrets were rotated. */
    void closeAll(AccountId accountId) {
        sessions.values().removeIf(s -> accountId.equals(s.accountId()));
    }

    /** 32 random bytes, URL-safe Base64: a session id, a CSRF token. */
    String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
