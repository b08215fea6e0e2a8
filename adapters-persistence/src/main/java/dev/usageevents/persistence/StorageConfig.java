package dev.usageevents.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * How the monthly partitions of {@code usage_events} are managed ({@link EventPartitions}); the retention, which
 * drops them, is {@link StoreConfig#retention()}.
 */
@ConfigMapping(prefix = "usage.storage")
public interface StorageConfig {

    /** How many months ahead of the current one partitions are made, so that no live event waits for one. */
    @WithName("partitions.months-ahead")
    @WithDefault("2")
    @Min(value = 1, message = "USAGE_STORAGE_PARTITIONS_MONTHS_AHEAD must be between 1 and 24")
    @Max(value = 24, message = "USAGE_STORAGE_PARTITIONS_MONTHS_AHEAD must be between 1 and 24")
    int partitionMonthsAhead();

    /** How often partitions are made ahead and expired ones dropped (also once at start-up). */
    @WithName("partitions.maintenance-interval")
    @WithDefault("PT1H")
    @DurationMin(seconds = 1, message = "USAGE_STORAGE_PARTITIONS_MAINTENANCE_INTERVAL must be between PT1S and P1D")
    @DurationMax(days = 1, message = "USAGE_STORAGE_PARTITIONS_MAINTENANCE_INTERVAL must be between PT1S and P1D")
    Duration partitionMaintenanceInterval();
}
