package dev.usageevents.grpc;

import dev.usageevents.domain.model.Credential.SequenceClient;
import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.port.in.AuthenticateCallers;
import dev.usageevents.domain.port.in.Lookup;
import dev.usageevents.domain.port.in.ThrottleCallers;
import dev.usageevents.domain.port.in.ThrottleCallers.Admission;
import dev.usageevents.domain.port.in.ThrottleCallers.CallKind;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * Opens a call only to the holder of an account's Sequence credentials, sent as the metadata entry
 * {@code authorization: Basic base64(clientId:clientSecret)}; any other call ends with UNAUTHENTICATED before the
 * service sees it. The account is handed to the service in the gRPC {@link Context}. When rate limits are on,
 * a call beyond its credential's budget (ingest RPCs and a whole stream count as ingest calls) ends with
 * RESOURCE_EXHAUSTED and a {@code retry-after} trailer.
 *
 * <p>Registered on {@link UsageEventsGrpcService} only (reflection and health stay open). Its priority is below
 * Quarkus' blocking interceptor, so for the service's {@code @Blocking} methods it runs on a worker thread: the
 * credential lookup reads the database and must never block the event loop.
 */
@ApplicationScoped
public class SequenceCredentialsInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** Seconds to wait after RESOURCE_EXHAUSTED, as HTTP's {@code Retry-After}. */
    static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> INGEST_METHODS = Set.of("IngestEvent", "IngestEvents", "StreamEvents");
    static final String HOW_TO = "Send the account's Sequence credentials as the metadata entry "
            + "'authorization: Basic base64(clientId:clientSecret)'";

    private final AuthenticateCallers callers;
    private final ThrottleCallers throttle;

    SequenceCredentialsInterceptor(AuthenticateCallers callers, ThrottleCallers throttle) {
        this.callers = callers;
        this.throttle = throttle;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Optional<Account> account;
        try {
            account = SequenceClient.fromBasic(headers.get(AUTHORIZATION))
                    .flatMap(c -> callers.bySequenceCredentials(c.clientId(), c.clientSecret(), Lookup.MAY_BLOCK));
        } catch (RuntimeException e) {
            StatusRuntimeException status = GrpcErrors.of(e, FieldPaths.request());
            call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
        if (account.isEmpty()) {
            String problem = headers.containsKey(AUTHORIZATION) ? "Invalid credentials. " : "Missing credentials. ";
            call.close(Status.UNAUTHENTICATED.withDescription(problem + HOW_TO), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        CallKind kind = INGEST_METHODS.contains(call.getMethodDescriptor().getBareMethodName())
                ? CallKind.INGEST : CallKind.OTHER;
        Admission admission = throttle.admit(SequenceClient.throttleKey(account.get()), kind);
        if (!admission.allowed()) {
            Metadata trailers = new Metadata();
            trailers.put(RETRY_AFTER, Long.toString(admission.retryAfterSeconds()));
            call.close(Status.RESOURCE_EXHAUSTED.withDescription("Too many requests for this client id; retry in "
                    + admission.retryAfterSeconds() + " s"), trailers);
            return new ServerCall.Listener<>() {
            };
        }
        Context context = Context.current().withValue(CallerAccount.KEY, account.get().id());
        return Contexts.interceptCall(context, call, headers, next);
    }
}
