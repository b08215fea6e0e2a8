package dev.usageevents.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** What the domain's ingestion accepts, and the key of the Mantle customer tokens. */
@ConfigMapping(prefix = "usage")
public interface IngestConfig {

    /** How far past the server clock an event's timestamp may be ({@code USAGE_TIMESTAMP_MAX_AHEAD}). */
    @WithName("timestamp.max-ahead")
    @WithDefault("PT1H")
    @DurationMin(message = "USAGE_TIMESTAMP_MAX_AHEAD must be between PT0S and P7D")
    @DurationMax(days = 7, message = "USAGE_TIMESTAMP_MAX_AHEAD must be between PT0S and P7D")
    Duration timestampMaxAhead();

    /**
     * Key of the Mantle customer API tokens ({@code USAGE_TOKEN_SECRET}, at least 32 bytes); unset: a key generated
     * once and kept in the database.
     */
    @WithName("token-secret")
    Optional<String> tokenSecret();
}
