package dev.usageevents.domain.testing;

import dev.usageevents.domain.port.out.ServerSecretStore;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Server secrets in memory, for tests. */
public final class InMemoryServerSecretStore implements ServerSecretStore {

    private final Map<String, String> secrets = new HashMap<>();

    @Override
    public synchronized String getOrCreate(String name, Supplier<String> candidate) {
        return secrets.computeIfAbsent(name, n -> candidate.get());
    }
}
