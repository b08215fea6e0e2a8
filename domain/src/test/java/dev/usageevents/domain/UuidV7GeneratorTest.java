package dev.usageevents.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.service.UuidV7Generator;
import dev.usageevents.domain.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7GeneratorTest {

    @Test
    void encodesTheMillisecondsAndIncreasesWithinOne() {
        Instant now = Instant.parse("2024-06-01T10:00:00.123Z");
        UuidV7Generator ids = new UuidV7Generator(new MutableClock(now));
        List<UUID> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            generated.add(ids.newId());
        }

        UUID first = generated.get(0);
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(first.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
        assertThat(new HashSet<>(generated)).hasSize(generated.size());
        for (int i = 1; i < generated.size(); i++) {
            assertThat(Long.compareUnsigned(generated.get(i - 1).getMostSignificantBits(),
                    generated.get(i).getMostSignificantBits())).isNegative();
        }
    }
}
