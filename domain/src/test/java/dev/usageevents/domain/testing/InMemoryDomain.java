package dev.usageevents.domain.testing;

import dev.usageevents.domain.port.out.IdGenerator;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.CustomerService;
import dev.usageevents.domain.service.CustomerTokens;
import dev.usageevents.domain.service.IdempotencyKeyService;
import dev.usageevents.domain.service.MeterService;
import dev.usageevents.domain.service.TokenBucketThrottle;
import dev.usageevents.domain.service.UsageEventService;
import dev.usageevents.domain.service.UuidV7Generator;
import java.time.Clock;
import java.time.Duration;

/**
 * The domain's services wired as the application wires them, over the in-memory stores: the in-ports an adapter's
 * tests drive. Rate limits are off.
 */
public final class InMemoryDomain {

    public final Clock clock;
    public final IdGenerator ids;
    public final InMemoryAccountStore accountStore = new InMemoryAccountStore();
    public final InMemoryUsageEventStore eventStore = new InMemoryUsageEventStore();
    public final InMemoryMeterStore meterStore = new InMemoryMeterStore();
    public final InMemoryCustomerStore customerStore = new InMemoryCustomerStore();

    public final AccountService accounts;
    public final UsageEventService usageEvents;
    public final MeterService meters;
    public final IdempotencyKeyService idempotencyKeys;
    public final CustomerService customers;
    public final TokenBucketThrottle throttle;

    public InMemoryDomain() {
        this(Clock.systemUTC());
    }

    public InMemoryDomain(Clock clock) {
        this.clock = clock;
        this.ids = new UuidV7Generator(clock);
        this.accounts = new AccountService(accountStore, clock, ids);
        this.usageEvents = new UsageEventService(eventStore, clock, ids, Duration.ofHours(1));
        this.meters = new MeterService(meterStore, new InMemoryMeterReader(eventStore), eventStore, usageEvents, clock,
                ids);
        this.idempotencyKeys = new IdempotencyKeyService(new InMemoryIdempotencyKeyStore(), ids);
        this.customers = new CustomerService(customerStore, accountStore,
                CustomerTokens.withStoredSecret(new InMemoryServerSecretStore()), clock, ids);
        this.throttle = new TokenBucketThrottle(clock, 0, 0);
    }
}
