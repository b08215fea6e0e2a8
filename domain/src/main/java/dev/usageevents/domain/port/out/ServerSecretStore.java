package dev.usageevents.domain.port.out;

import java.util.function.Supplier;

/** Secrets of the service itself that must outlive a restart and be shared by every instance. */
public interface ServerSecretStore {

    /**
     * The secret stored under {@code name}; the first caller stores {@code candidate}'s value, and every caller,
     * in any instance, gets the same value from then on.
     */
    String getOrCreate(String name, Supplier<String> candidate);
}
