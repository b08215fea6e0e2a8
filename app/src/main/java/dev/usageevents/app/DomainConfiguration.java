package dev.usageevents.app;

import dev.usageevents.domain.port.in.IdempotencyKeys;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.ManageMeters;
import dev.usageevents.domain.port.in.QueryMeters;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import dev.usageevents.domain.port.in.ThrottleCallers;
import dev.usageevents.domain.port.in.VoidEvents;
import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.port.out.CustomerStore;
import dev.usageevents.domain.port.out.IdGenerator;
import dev.usageevents.domain.port.out.MeterReader;
import dev.usageevents.domain.port.out.MeterStore;
import dev.usageevents.domain.port.out.IdempotencyKeyStore;
import dev.usageevents.domain.port.out.ServerSecretStore;
import dev.usageevents.domain.port.out.UsageEventStore;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.TokenBucketThrottle;
import dev.usageevents.domain.service.CustomerService;
import dev.usageevents.domain.service.CustomerTokens;
import dev.usageevents.domain.service.MeterService;
import dev.usageevents.domain.service.IdempotencyKeyService;
import dev.usageevents.domain.service.UsageEventService;
import dev.usageevents.domain.service.UuidV7Generator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
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
    UsageEventService usageEvents(UsageEventStore store, Clock clock, IdGenerator ids, IngestConfig config) {
        return new UsageEventService(store, clock, ids, config.timestampMaxAhead());
    }

    @Produces
    @Singleton
    IngestUsageEvents ingest(UsageEventService service, MeterRegistry registry) {
        return new MeteredIngest(service, registry);
    }

    /** Meters: definitions, queries (computed on read by the store's reader) and voids (through the metered ingest). */
    @Produces
    @Singleton
    @Typed({ManageMeters.class, QueryMeters.class, VoidEvents.class})
    MeterService meters(MeterStore store, MeterReader reader, UsageEventStore events, IngestUsageEvents ingest,
            Clock clock, IdGenerator ids) {
        return new MeterService(store, reader, events, ingest, clock, ids);
    }

    @Produces
    @Singleton
    IdempotencyKeys idempotencyKeys(IdempotencyKeyStore store, IdGenerator ids) {
        return new IdempotencyKeyService(store, ids);
    }

    /** Off unless configured; per instance. */
    @Produces
    @Singleton
    ThrottleCallers throttle(Clock clock, RateLimitConfig config) {
        return new TokenBucketThrottle(clock, config.ingestPerMinute(), config.otherPerMinute());
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
    CustomerTokens customerTokens(IngestConfig config, ServerSecretStore stored) {
        Optional<String> secret = config.tokenSecret();
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
