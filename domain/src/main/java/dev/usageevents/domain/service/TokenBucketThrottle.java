package dev.usageevents.domain.service;

import dev.usageevents.domain.port.in.ThrottleCallers;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per (credential, kind): it holds a minute's worth of calls and refills continuously, so a
 * client may burst up to its per-minute limit and then proceeds at the limit's pace. A limit of 0 is no limit.
 */
public final class TokenBucketThrottle implements ThrottleCallers {

    private final Clock clock;
    private final Map<CallKind, Long> perMinute;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBucketThrottle(Clock clock, long ingestPerMinute, long otherPerMinute) {
        this.clock = clock;
        this.perMinute = Map.of(CallKind.INGEST, ingestPerMinute, CallKind.OTHER, otherPerMinute);
    }

    public boolean enabled(CallKind kind) {
        return perMinute.get(kind) > 0;
    }

    @Override
    public Admission admit(String credential, CallKind kind) {
        long limit = perMinute.get(kind);
        if (limit <= 0) {
            return Admission.ALLOWED;
        }
        Bucket bucket = buckets.computeIfAbsent(kind + "/" + credential, k -> new Bucket(limit, clock.millis()));
        return bucket.take(clock.millis());
    }

    private static final class Bucket {
        private final double capacity;
        private final double perMilli;
        private double tokens;
        private long updated;

        Bucket(long perMinute, long now) {
            this.capacity = perMinute;
            this.perMilli = perMinute / 60_000.0;
            this.tokens = perMinute;
            this.updated = now;
        }

        synchronized Admission take(long now) {
            tokens = Math.min(capacity, tokens + Math.max(0, now - updated) * perMilli);
            updated = Math.max(updated, now);
            if (tokens >= 1) {
                tokens -= 1;
                return Admission.ALLOWED;
            }
            return new Admission(false, Duration.ofMillis((long) Math.ceil((1 - tokens) / perMilli)));
        }
    }
}
