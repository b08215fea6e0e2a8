package dev.usageevents.grpc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Settings of the usage.v1 gRPC services ({@code USAGE_GRPC_*}). */
@ConfigMapping(prefix = "usage.grpc")
public interface GrpcConfig {

    /** Batches of one {@code StreamEvents} call committing at once, unacknowledged. */
    @WithDefault("8")
    @Min(value = 1, message = "USAGE_GRPC_STREAM_WINDOW must be between 1 and 64")
    @Max(value = 64, message = "USAGE_GRPC_STREAM_WINDOW must be between 1 and 64")
    int streamWindow();
}
