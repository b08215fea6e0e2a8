package dev.usageevents.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The latency timers as Prometheus histograms ({@code _bucket{le=…}}) with fixed SLO buckets, instead of
 * client-side quantiles: buckets add up across instances and over time windows, quantiles do not. Each timer's
 * buckets span what it measures, so that a dashboard reads the share under a target directly
 * ({@code le="0.05"}: answered within 50 ms). Client-side quantiles are switched off for them.
 */
@Singleton
public class LatencyHistograms implements MeterFilter {

    /** Requests: from a single event's few milliseconds to a list under load. */
    static final double[] HTTP_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Writing and committing one group: a few milliseconds on a local disk, more with a remote database. */
    static final double[] COMMIT_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
    /** From receipt to commit: the commit itself plus the wait for a group. */
    static final double[] DELAY_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private static final Map<String, double[]> BUCKETS = Map.of(
            "http.server.requests", HTTP_SECONDS,
            "usage.commit.duration", COMMIT_SECONDS,
            "usage.ingest.commit.delay", DELAY_SECONDS);

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        double[] seconds = BUCKETS.get(id.getName());
        if (seconds == null || id.getType() != Meter.Type.TIMER) {
            return config;
        }
        double[] nanos = Arrays.stream(seconds).map(s -> Duration.ofNanos((long) (s * 1e9)).toNanos()).toArray();
        return DistributionStatisticConfig.builder()
                .serviceLevelObjectives(nanos)
                .percentiles(new double[0])
                .percentilesHistogram(false)
                .build()
                .merge(config);
    }
}
