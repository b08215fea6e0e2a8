package dev.usageevents.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** The meters' pre-aggregates ({@link MeterRollups}, read by {@link PostgresMeterReader}). */
@ConfigMapping(prefix = "usage.meters.rollups")
public interface MeterRollupConfig {

    /**
     * Whether this instance builds, refreshes and reads the pre-aggregates ({@code USAGE_METERS_ROLLUPS_ENABLED}).
     * Off, every meter query is computed from the raw events (the same answers, slower on large periods).
     */
    @WithDefault("true")
    boolean enabled();

    /** How often the changes logged by ingests are folded into the pre-aggregates, and missing months built. */
    @WithName("refresh-interval")
    @WithDefault("PT1S")
    @DurationMin(millis = 10, message = "USAGE_METERS_ROLLUPS_REFRESH_INTERVAL must be between PT0.01S and PT1H")
    @DurationMax(hours = 1, message = "USAGE_METERS_ROLLUPS_REFRESH_INTERVAL must be between PT0.01S and PT1H")
    Duration refreshInterval();

    /**
     * A customer with at least this many events of a meter's event name in a month also gets that month's
     * 15-minute pre-aggregates, which answer windows that do not start at a UTC midnight (other time zones, rolling
     * windows); below it, such windows read the customer's raw events ({@code USAGE_METERS_ROLLUPS_DENSE_EVENTS}).
     */
    @WithName("dense-events")
    @WithDefault("5000")
    @Min(value = 1, message = "USAGE_METERS_ROLLUPS_DENSE_EVENTS must be between 1 and 1000000000")
    @Max(value = 1_000_000_000, message = "USAGE_METERS_ROLLUPS_DENSE_EVENTS must be between 1 and 1000000000")
    long denseEvents();
}
