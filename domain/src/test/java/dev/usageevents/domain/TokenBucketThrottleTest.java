package dev.usageevents.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.port.in.ThrottleCallers.Admission;
import dev.usageevents.domain.port.in.ThrottleCallers.CallKind;
import dev.usageevents.domain.service.TokenBucketThrottle;
import dev.usageevents.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenBucketThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));

    @Test
    void allowsAMinutesWorthThenAsksToWait() {
        TokenBucketThrottle throttle = new TokenBucketThrottle(clock, 120, 0);
        for (int i = 0; i < 120; i++) {
            assertThat(throttle.admit("key", CallKind.INGEST).allowed()).isTrue();
        }
        Admission refused = throttle.admit("key", CallKind.INGEST);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);

        clock.advance(Duration.ofMillis(500));
        assertThat(throttle.admit("key", CallKind.INGEST).allowed()).isTrue();
        assertThat(throttle.admit("key", CallKind.INGEST).allowed()).isFalse();
    }

    @Test
    void budgetsArePerCredentialAndKindAndZeroIsNoLimit() {
        TokenBucketThrottle throttle = new TokenBucketThrottle(clock, 1, 0);
        assertThat(throttle.admit("a", CallKind.INGEST).allowed()).isTrue();
        assertThat(throttle.admit("a", CallKind.INGEST).allowed()).isFalse();
        assertThat(throttle.admit("b", CallKind.INGEST).allowed()).isTrue();
        for (int i = 0; i < 10_000; i++) {
            assertThat(throttle.admit("a", CallKind.OTHER).allowed()).isTrue();
        }
        assertThat(throttle.enabled(CallKind.OTHER)).isFalse();
    }

    @Test
    void holdsAcrossThreads() throws Exception {
        TokenBucketThrottle throttle = new TokenBucketThrottle(clock, 1000, 0);
        AtomicInteger allowed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    if (throttle.admit("shared", CallKind.INGEST).allowed()) {
                        allowed.incrementAndGet();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(allowed.get()).isEqualTo(1000);
    }
}
