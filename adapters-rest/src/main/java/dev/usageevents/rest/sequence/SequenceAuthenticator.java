package dev.usageevents.rest.sequence;

import dev.usageevents.domain.model.Credential.SequenceClient;
import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.port.in.AuthenticateCallers;
import dev.usageevents.domain.port.in.Lookup;
import dev.usageevents.domain.port.in.ThrottleCallers;
import dev.usageevents.domain.port.in.ThrottleCallers.Admission;
import dev.usageevents.domain.port.in.ThrottleCallers.CallKind;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;

/**
 * Sequence's credentials ({@code Authorization: Basic base64(clientId:clientSecret)}) and rate limit, shared by
 * every resource of the Sequence schema: each refusal is a {@link SequenceApiException} in Sequence's shape.
 */
@Singleton
class SequenceAuthenticator {

    private final AuthenticateCallers callers;
    private final ThrottleCallers throttle;

    SequenceAuthenticator(AuthenticateCallers callers, ThrottleCallers throttle) {
        this.callers = callers;
        this.throttle = throttle;
    }

    /** The caller's account, once its credentials are checked and its rate limit (if any) admits the call. */
    Account authenticate(HttpHeaders headers, CallKind kind) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw SequenceApiException.missingCredentials();
        }
        Account account = account(authorization, Lookup.MAY_BLOCK)
                .orElseThrow(SequenceApiException::invalidCredentials);
        return admitted(account, kind);
    }

    /**
     * The account an {@code Authorization} value opens, looked up as far as {@code lookup} may go; empty when the
     * value is missing, malformed or its credentials invalid, or (without blocking) not known at once.
     */
    Optional<Account> account(String authorization, Lookup lookup) {
        return SequenceClient.fromBasic(authorization)
                .flatMap(c -> callers.bySequenceCredentials(c.clientId(), c.clientSecret(), lookup));
    }

    /** The account, once its rate limit (if any) admits a call of {@code kind}. */
    Account admitted(Account account, CallKind kind) {
        Admission admission = throttle.admit(SequenceClient.throttleKey(account), kind);
        if (!admission.allowed()) {
            throw SequenceApiException.rateLimited(admission.retryAfterSeconds());
        }
        return account;
    }
}
