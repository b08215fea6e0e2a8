package dev.usageevents.app;

import dev.usageevents.domain.port.in.IdempotencyKeys;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import dev.usageevents.domain.port.in.ThrottleCallers;
import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.port.out.CustomerStore;
import dev.usageevents.domain.port.out.IdGenerator;
import dev.usageevents.domain.port.out.IdempotencyKeyStore;
import dev.usageevents.domain.port.out.ServerSecretStore;
import dev.usageevents.domain.port.out.UsageEventStore;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.TokenBucketThrottle;
import dev.usageevents.domain.service.CustomerService;
import dev.usageevents.domain.service.CustomerTokens;
import dev.usageevents.domain.service.IdempotencyKeyService;
import dev.usageevents.domain.service.UsageEventService;
import dev.usageevents.domain.service.UuidV7Generator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The one place where CDI meets the plain-Java domain: its services, built with the adapters' stores. */
public class DomainConfiguration {

    private static final Logger LOG = Logger.getLogger(DomainConfiguration.class);

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    IdGenerator idGenerator(Clock clock) {
        return new UuidV7Generator(clock);
    }

    /** The service as the query port; ingestion goes through {@link #ingest}. */
    @Produces
    @Singleton
    @Typed({UsageEventService.class, QueryUsageEvents.class})
    UsageEventService usageEvents(UsageEventStore store, Clock clock, IdGenerator ids,
            @ConfigProperty(name = "usage.timestamp.max-ahead", defaultValue = "PT1H") Duration maxAhead) {
        return new UsageEventService(store, clock, ids, maxAhead);
    }

    @Produces
    @Singleton
    IngestUsageEvents ingest(UsageEventService service, MeterRegistry registry) {
        return new MeteredIngest(service, registry);
    }

    @Produces
    @Singleton
    IdempotencyKeys idempotencyKeys(IdempotencyKeyStore store, IdGenerator ids) {
        return new IdempotencyKeyService(store, ids);
    }

    /** Off unless configured; per instance. */
    @Produces
    @Singleton
    ThrottleCallers throttle(Clock clock,
            @ConfigProperty(name = "usage.rate-limit.ingest-per-minute", defaultValue = "0") long ingestPerMinute,
            @ConfigProperty(name = "usage.rate-limit.other-per-minute", defaultValue = "0") long otherPerMinute) {
        return new TokenBucketThrottle(clock, ingestPerMinute, otherPerMinute);
    }

    @Produces
    @Singleton
    AccountService accounts(AccountStore store, Clock clock, IdGenerator ids) {
        return new AccountService(store, clock, ids);
    }

    /**
     * The key of the Mantle customer API tokens: {@code USAGE_TOKEN_SECRET} (at least 32 bytes), else a key
     * generated once and kept in the database. Made at start, so that a bad key stops the service at once.
     */
    @Produces
    @Singleton
    @Startup
    CustomerTokens customerTokens(@ConfigProperty(name = "usage.token-secret") Optional<String> secret,
            ServerSecretStore stored) {
        if (secret.filter(s -> !s.isBlank()).isPresent()) {
            try {
                return CustomerTokens.withSecret(secret.get());
            } catch (IllegalArgumentException e) {
                // Without the cause: the message says it all, and the start-up failure line names the innermost.
                throw new IllegalArgumentException("USAGE_TOKEN_SECRET: " + e.getMessage());
            }
        }
        LOG.info("USAGE_TOKEN_SECRET is not set: Mantle customer API tokens are keyed by a secret generated once "
                + "and kept in the database");
        return CustomerTokens.withStoredSecret(stored);
    }

    @Produces
    @Singleton
    CustomerService customers(CustomerStore store, AccountStore accounts, CustomerTokens tokens, Clock clock,
            IdGenerator ids) {
        return new CustomerService(store, accounts, tokens, clock, ids);
    }
}
