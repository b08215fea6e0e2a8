package dev.usageevents.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** The stores' own settings: the account look-up cache, the event table's statistics and the retention. */
@ConfigMapping(prefix = "usage")
public interface StoreConfig {

    /**
     * How long an account look-up (by Sequence client id or Mantle app id) is cached; a rotation is immediate on the
     * instance that made it, within this time on the others ({@code USAGE_AUTH_CACHE_TTL}).
     */
    @WithName("auth.cache-ttl")
    @WithDefault("PT5S")
    @DurationMin(message = "USAGE_AUTH_CACHE_TTL must be between PT0S and PT1H")
    @DurationMax(hours = 1, message = "USAGE_AUTH_CACHE_TTL must be between PT0S and PT1H")
    Duration authCacheTtl();

    /**
     * The writer analyzes {@code usage_events} each time it has written as many rows as the table held at the last
     * analysis, and at least this many ({@code USAGE_STATISTICS_MIN_ROWS}); see {@link EventTableStatistics}.
     */
    @WithName("statistics.min-rows")
    @WithDefault("1000")
    @Min(value = 1, message = "USAGE_STATISTICS_MIN_ROWS must be between 1 and 1000000000")
    @Max(value = 1_000_000_000, message = "USAGE_STATISTICS_MIN_ROWS must be between 1 and 1000000000")
    long statisticsMinRows();

    /**
     * Events older than this, by event time, are no longer seen and leave with their month's partition; unset (the
     * default) keeps every event ({@code USAGE_RETENTION}, an ISO-8601 duration in days or hours, e.g. {@code P400D}).
     */
    @WithName("retention")
    Optional<@DurationMin(days = 1, message = "USAGE_RETENTION must be at least P1D") Duration> retention();
}
