package dev.usageevents.rest.console;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.in.ManageAccounts;
import dev.usageevents.domain.port.in.ThrottleCallers;
import dev.usageevents.domain.port.in.ThrottleCallers.Admission;
import dev.usageevents.domain.port.in.ThrottleCallers.CallKind;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;

/**
 * Who is asking: the session named by the cookie, its rate limit (the API's budget of the same credential), its
 * CSRF token on every POST, and which account a page may show (an account's session: its own, whatever the URL
 * says; the operator: the account named by {@code ?account=}).
 */
@Singleton
class ConsoleGuard {

    static final String COOKIE = "usage_console";

    private final ConsoleSessions sessions;
    private final ThrottleCallers throttle;
    private final ManageAccounts accounts;

    ConsoleGuard(ConsoleSessions sessions, ThrottleCallers throttle, ManageAccounts accounts) {
        this.sessions = sessions;
        this.throttle = throttle;
        this.accounts = accounts;
    }

    /** The session of a page view; no session: a redirect to sign-in. */
    ConsoleSession view(HttpHeaders headers) {
        ConsoleSession session = sessions.find(cookie(headers)).orElseThrow(ConsoleException::signIn);
        admit(session.throttleKey());
        return session;
    }

    /** The session of a form post, whose {@code csrf} field must be the session's token (403 otherwise). */
    ConsoleSession post(HttpHeaders headers, String csrf) {
        ConsoleSession session = sessions.find(cookie(headers)).orElse(null);
        if (session == null) {
            throw new ConsoleException(403, "Your session has ended: sign in again");
        }
        if (csrf == null || !MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
                csrf.getBytes(StandardCharsets.UTF_8))) {
            throw new ConsoleException(403, "The form was refused: it did not carry this session's CSRF token. "
                    + "Reload the page and try again.");
        }
        admit(session.throttleKey());
        return session;
    }

    ConsoleSession operator(ConsoleSession session) {
        if (!session.operator()) {
            throw ConsoleException.notFound();
        }
        return session;
    }

    /**
     * The account a page shows: an account's session always its own; the operator's the one named, if it exists,
     * else empty (the page then asks which).
     */
    Optional<Account> scope(ConsoleSession session, String account) {
        if (!session.operator()) {
            return accounts.list().stream().filter(a -> a.id().equals(session.accountId())).findFirst();
        }
        if (account == null || account.isBlank()) {
            return Optional.empty();
        }
        AccountId id;
        try {
            id = new AccountId(UUID.fromString(account.trim()));
        } catch (IllegalArgumentException e) {
            throw ConsoleException.notFound();
        }
        return Optional.of(accounts.list().stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(ConsoleException::notFound));
    }

    void admit(String throttleKey) {
        Admission admission = throttle.admit(throttleKey, CallKind.OTHER);
        if (!admission.allowed()) {
            throw new ConsoleException(429, "Too many requests: wait " + admission.retryAfterSeconds()
                    + " s and try again", admission.retryAfterSeconds());
        }
    }

    static String cookie(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(COOKIE);
        return cookie == null ? null : cookie.getValue();
    }
}
