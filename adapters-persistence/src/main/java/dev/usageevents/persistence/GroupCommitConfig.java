package dev.usageevents.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** How concurrent writes are grouped into transactions ({@code USAGE_GROUP_COMMIT_*}); see {@link GroupCommitter}. */
@ConfigMapping(prefix = "usage.group-commit")
public interface GroupCommitConfig {

    /** At most this many events in one group transaction. */
    @WithDefault("1000")
    @Min(value = 1, message = "USAGE_GROUP_COMMIT_MAX_EVENTS must be between 1 and 100000")
    @Max(value = 100_000, message = "USAGE_GROUP_COMMIT_MAX_EVENTS must be between 1 and 100000")
    int maxEvents();

    /** How long a group that is not full waits for more writes; at zero it takes the writes waiting. */
    @WithDefault("PT0S")
    @DurationMin(message = "USAGE_GROUP_COMMIT_MAX_WAIT must be between PT0S and PT1S")
    @DurationMax(seconds = 1, message = "USAGE_GROUP_COMMIT_MAX_WAIT must be between PT0S and PT1S")
    Duration maxWait();

    /** At most this many groups commit at once (each holds a connection of the pool). */
    @WithDefault("4")
    @Min(value = 1, message = "USAGE_GROUP_COMMIT_WRITERS must be between 1 and 64")
    @Max(value = 64, message = "USAGE_GROUP_COMMIT_WRITERS must be between 1 and 64")
    int writers();

    /** How long the oldest waiting write may wait before a further group starts beside those committing. */
    @WithDefault("PT0.005S")
    @DurationMin(message = "USAGE_GROUP_COMMIT_PARALLEL_AFTER must be between PT0S and PT10S")
    @DurationMax(seconds = 10, message = "USAGE_GROUP_COMMIT_PARALLEL_AFTER must be between PT0S and PT10S")
    Duration parallelAfter();

    /** Events that may wait for a group; a write beyond is refused at once (503 / UNAVAILABLE). */
    @WithDefault("20000")
    @Min(value = 1000, message = "USAGE_GROUP_COMMIT_QUEUE_EVENTS must be between 1000 and 10000000")
    @Max(value = 10_000_000, message = "USAGE_GROUP_COMMIT_QUEUE_EVENTS must be between 1000 and 10000000")
    int queueEvents();

    /**
     * How long the oldest waiting write may wait before the commit path counts as stalled (readiness DOWN)
     * ({@code USAGE_GROUP_COMMIT_STALL_AFTER}).
     */
    @WithDefault("PT15S")
    @DurationMin(seconds = 1, message = "USAGE_GROUP_COMMIT_STALL_AFTER must be between PT1S and PT10M")
    @DurationMax(minutes = 10, message = "USAGE_GROUP_COMMIT_STALL_AFTER must be between PT1S and PT10M")
    Duration stallAfter();
}
