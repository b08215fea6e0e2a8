package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.MeterReader;
import dev.usageevents.domain.port.out.UsageEventStore;
import dev.usageevents.domain.service.AccountService;
import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.MeterReaderContract;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.lang.reflect.Proxy;

/**
 * The meter contract for an instance with {@code USAGE_METERS_ROLLUPS_ENABLED=false}: every answer computed from
 * the raw events (the compute-on-read reference of {@code bench/run.sh}'s measurement 9).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PostgresRawMeterReaderTest extends MeterReaderContract {

    @Inject
    PanacheUsageEventStore store;

    @Inject
    PanacheAccountStore accounts;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventPartitions partitions;

    @Inject
    MeterRollupConfig config;

    @Override
    protected UsageEventStore events() {
        return store;
    }

    @Override
    protected MeterReader reader() {
        // the configuration of this instance, but off (an anonymous class would inherit its validation annotations)
        MeterRollupConfig off = (MeterRollupConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MeterRollupConfig.class},
                (proxy, method, arguments) -> method.getName().equals("enabled") ? false
                        : method.invoke(config, arguments));
        return new PostgresMeterReader(dataSource, partitions, off);
    }

    @Override
    protected AccountId newAccount() {
        return new AccountService(accounts, Clock.systemUTC(), new UuidV7Generator(Clock.systemUTC()))
                .create("raw meter contract").account().id();
    }
}
