package dev.usageevents.app;

import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import dev.usageevents.domain.port.in.ThrottleCallers;
import dev.usageevents.domain.port.out.AccountStore;
import dev.usageevents.domain.port.out.IdGenerator;
import dev.usageevents.domain.port.out.UsageEventStore;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.TokenBucketThrottle;
import dev.usageevents.domain.service.UsageEventService;
import dev.usageevents.domain.service.UuidV7Generator;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one place where CDI meets the plain-Java domain: its services, built with the adapters' stores. */
public class DomainConfiguration {

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
}
