package dev.usageevents.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Calls per minute per credential, per instance ({@code USAGE_RATE_LIMIT_*}); 0 turns a limit off. */
@ConfigMapping(prefix = "usage.rate-limit")
public interface RateLimitConfig {

    /** Ingest calls (any channel). */
    @WithDefault("0")
    @Min(value = 0, message = "USAGE_RATE_LIMIT_INGEST_PER_MINUTE must be between 0 (off) and 100000000")
    @Max(value = 100_000_000, message = "USAGE_RATE_LIMIT_INGEST_PER_MINUTE must be between 0 (off) and 100000000")
    long ingestPerMinute();

    /** Every other call. */
    @WithDefault("0")
    @Min(value = 0, message = "USAGE_RATE_LIMIT_OTHER_PER_MINUTE must be between 0 (off) and 100000000")
    @Max(value = 100_000_000, message = "USAGE_RATE_LIMIT_OTHER_PER_MINUTE must be between 0 (off) and 100000000")
    long otherPerMinute();
}
