package dev.usageevents.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * How long events are kept, and how their monthly partitions are managed ({@link EventPartitions}); checked at
 * start-up by {@link #validate}. The retention is set as {@code usage.retention} ({@code USAGE_RETENTION}), which
 * {@code usage.storage.retention} takes up (META-INF/microprofile-config.properties): a mapping of the whole
 * {@code usage} prefix would refuse the other {@code usage.*} settings, read elsewhere.
 */
@ConfigMapping(prefix = "usage.storage")
public interface StorageConfig {

    /**
     * Events older than this, by event time, are no longer seen and leave with their month's partition; empty
     * (the default) keeps every event. An ISO-8601 duration in days or hours, e.g. {@code P400D}.
     */
    Optional<Duration> retention();

    /** How many months ahead of the current one partitions are made, so that no live event waits for one. */
    @WithName("partitions.months-ahead")
    @WithDefault("2")
    int partitionMonthsAhead();

    /** How often partitions are made ahead and expired ones dropped (also once at start-up). */
    @WithName("partitions.maintenance-interval")
    @WithDefault("PT1H")
    Duration partitionMaintenanceInterval();

    /** Refuses settings that cannot work: the service does not start with them. */
    default void validate() {
        retention().ifPresent(retention -> {
            if (retention.isNegative() || retention.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("usage.retention (USAGE_RETENTION) must be at least one day: "
                        + retention);
            }
        });
        if (partitionMonthsAhead() < 1 || partitionMonthsAhead() > 24) {
            throw new IllegalArgumentException("usage.storage.partitions.months-ahead must be between 1 and 24: "
                    + partitionMonthsAhead());
        }
        if (partitionMaintenanceInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(
                    "usage.storage.partitions.maintenance-interval must be at least a second: "
                            + partitionMaintenanceInterval());
        }
    }
}
