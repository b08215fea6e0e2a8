package dev.usageevents.grpc;

import dev.usageevents.domain.model.AccountId;
import io.grpc.Context;
import io.grpc.Status;

/** The account whose credentials a call carries, set by {@link SequenceCredentialsInterceptor}. */
final class CallerAccount {

    static final Context.Key<AccountId> KEY = Context.key("usage-events-account");

    private CallerAccount() {
    }

    /** The caller's account; a call that reached a service method without one is refused, never served. */
    static AccountId current() {
        AccountId account = KEY.get();
        if (account == null) {
            throw Status.UNAUTHENTICATED.withDescription("No credentials").asRuntimeException();
        }
        return account;
    }
}
