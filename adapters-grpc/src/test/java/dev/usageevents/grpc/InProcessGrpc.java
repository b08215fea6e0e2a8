package dev.usageevents.grpc;

import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.testing.InMemoryDomain;
import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import dev.usageevents.grpc.v1.UsageMetersServiceGrpc;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The usage.v1 services on an in-process gRPC server, behind the credentials interceptor as the application
 * registers them, over the domain's services on in-memory stores ({@link InMemoryDomain}). The ingest port may be
 * replaced (a fake whose commits a test completes). What belongs to the Quarkus server (one port with REST, the
 * message size limit, the spec's status-message encoding, HTTP/2 flow control) is tested end to end in app.
 */
final class InProcessGrpc implements AutoCloseable {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    final InMemoryDomain domain;
    final ManagedChannel channel;
    private final Server server;

    private InProcessGrpc(InMemoryDomain domain, IngestUsageEvents ingest, int streamWindow) {
        this.domain = domain;
        String name = "usage-events-" + UUID.randomUUID();
        SequenceCredentialsInterceptor credentials = new SequenceCredentialsInterceptor(domain.accounts,
                domain.throttle);
        UsageEventsGrpcService events = new UsageEventsGrpcService(ingest, domain.usageEvents, domain.meters,
                () -> streamWindow);
        UsageMetersGrpcService meters = new UsageMetersGrpcService(domain.meters, domain.meters);
        try {
            server = InProcessServerBuilder.forName(name)
                    .addService(ServerInterceptors.intercept(events, credentials))
                    .addService(ServerInterceptors.intercept(meters, credentials))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = InProcessChannelBuilder.forName(name).build();
    }

    /** Over the domain's own ingestion. */
    static InProcessGrpc start() {
        InMemoryDomain domain = new InMemoryDomain();
        return new InProcessGrpc(domain, domain.usageEvents, 8);
    }

    /**
     * With the ingest port that {@code ingest} makes of the domain's (a {@link GatedIngest}, say) and
     * {@code streamWindow} batches per stream.
     */
    static InProcessGrpc withIngest(Function<InMemoryDomain, IngestUsageEvents> ingest, int streamWindow) {
        InMemoryDomain domain = new InMemoryDomain();
        return new InProcessGrpc(domain, ingest.apply(domain), streamWindow);
    }

    /** A new account's credentials. */
    AccountCredentials account(String name) {
        return domain.accounts.create(name);
    }

    static String basic(String clientId, String clientSecret) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    static String basic(AccountCredentials account) {
        return basic(account.account().sequenceClientId(), account.sequenceClientSecret());
    }

    /** Attaches {@code authorization: <value>} to every call. */
    static ClientInterceptor authorization(String value) {
        Metadata metadata = new Metadata();
        metadata.put(AUTHORIZATION, value);
        return MetadataUtils.newAttachHeadersInterceptor(metadata);
    }

    UsageEventsServiceGrpc.UsageEventsServiceBlockingStub blocking(AccountCredentials account) {
        return UsageEventsServiceGrpc.newBlockingStub(channel).withInterceptors(authorization(basic(account)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    UsageEventsServiceGrpc.UsageEventsServiceStub async(AccountCredentials account) {
        return UsageEventsServiceGrpc.newStub(channel).withInterceptors(authorization(basic(account)));
    }

    UsageMetersServiceGrpc.UsageMetersServiceBlockingStub meters(AccountCredentials account) {
        return UsageMetersServiceGrpc.newBlockingStub(channel).withInterceptors(authorization(basic(account)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
    }
}
