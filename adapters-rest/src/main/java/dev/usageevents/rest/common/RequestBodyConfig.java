package dev.usageevents.rest.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** How much memory request bodies may take. */
@ConfigMapping(prefix = "usage")
public interface RequestBodyConfig {

    /**
     * The bytes of request bodies held in memory at once, across all requests ({@code USAGE_MAX_BUFFERED_BYTES});
     * a body that would take the total past it is refused with 503 and {@code Retry-After} before it is read. At
     * least the body limit ({@code quarkus.http.limits.max-body-size}), or the largest body could never be taken.
     * The heap it needs is a multiple of it: see the README's configuration table.
     */
    @WithName("max-buffered-bytes")
    @WithDefault("8M")
    MemorySize maxBuffered();
}
