package dev.usageevents.rest.testing;

import dev.usageevents.domain.port.in.AuthenticateCallers;
import dev.usageevents.domain.port.in.AuthenticateCustomers;
import dev.usageevents.domain.port.in.FindCustomers;
import dev.usageevents.domain.port.in.IdempotencyKeys;
import dev.usageevents.domain.port.in.IdentifyCustomers;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.ManageAccounts;
import dev.usageevents.domain.port.in.ManageMeters;
import dev.usageevents.domain.port.in.QueryMeters;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import dev.usageevents.domain.port.in.ThrottleCallers;
import dev.usageevents.domain.port.in.VoidEvents;
import dev.usageevents.domain.testing.InMemoryDomain;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The in-ports the REST adapter needs, for its Quarkus tests: the domain's services over its in-memory stores,
 * as the app's DomainConfiguration wires them over PostgreSQL. One domain for the whole test run; tests make
 * their own accounts, so they do not see each other's data.
 */
public class InMemoryPorts {

    @Produces
    @Singleton
    InMemoryDomain domain() {
        return new InMemoryDomain();
    }

    @Produces
    Clock clock(InMemoryDomain domain) {
        return domain.clock;
    }

    @Produces
    ManageAccounts manageAccounts(InMemoryDomain domain) {
        return domain.accounts;
    }

    @Produces
    AuthenticateCallers authenticateCallers(InMemoryDomain domain) {
        return domain.accounts;
    }

    @Produces
    IngestUsageEvents ingest(InMemoryDomain domain) {
        return domain.usageEvents;
    }

    @Produces
    QueryUsageEvents queryUsageEvents(InMemoryDomain domain) {
        return domain.usageEvents;
    }

    @Produces
    IdempotencyKeys idempotencyKeys(InMemoryDomain domain) {
        return domain.idempotencyKeys;
    }

    @Produces
    ManageMeters manageMeters(InMemoryDomain domain) {
        return domain.meters;
    }

    @Produces
    QueryMeters queryMeters(InMemoryDomain domain) {
        return domain.meters;
    }

    @Produces
    VoidEvents voidEvents(InMemoryDomain domain) {
        return domain.meters;
    }

    @Produces
    IdentifyCustomers identifyCustomers(InMemoryDomain domain) {
        return domain.customers;
    }

    @Produces
    AuthenticateCustomers authenticateCustomers(InMemoryDomain domain) {
        return domain.customers;
    }

    @Produces
    FindCustomers findCustomers(InMemoryDomain domain) {
        return domain.customers;
    }

    @Produces
    ThrottleCallers throttle(InMemoryDomain domain) {
        return domain.throttle;
    }
}
