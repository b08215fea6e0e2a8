package dev.usageevents.domain.port.out;

import java.util.UUID;

/** Source of the ids the service assigns. */
@FunctionalInterface
public interface IdGenerator {

    UUID newId();
}
