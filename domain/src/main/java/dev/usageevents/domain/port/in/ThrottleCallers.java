package dev.usageevents.domain.port.in;

import java.time.Duration;

/**
 * Per-credential rate limits, one budget for ingest calls and one for every other call. Off unless configured:
 * a self-hosted service must not throttle its own backfills. Limits are per instance.
 */
public interface ThrottleCallers {

    enum CallKind {
        INGEST,
        OTHER
    }

    /** Whether the call may proceed; when not, how long until it may. */
    record Admission(boolean allowed, Duration retryAfter) {

        public static final Admission ALLOWED = new Admission(true, Duration.ZERO);

        /** Whole seconds to wait, at least 1, as {@code Retry-After} wants them. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    /** Takes one call from {@code credential}'s budget for {@code kind}. */
    Admission admit(String credential, CallKind kind);
}
