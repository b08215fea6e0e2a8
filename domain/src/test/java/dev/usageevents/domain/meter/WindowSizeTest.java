package dev.usageevents.domain.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.model.meter.WindowSize;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowSizeTest {

    private static List<Instant> bounds(String from, String to, WindowSize size, String zone) {
        return new MeterWindows(Instant.parse(from), Instant.parse(to), size, ZoneId.of(zone), List.of(), false,
                List.of(), null).bounds(10_000);
    }

    private static List<Duration> lengths(List<Instant> bounds) {
        List<Duration> lengths = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.size(); i++) {
            lengths.add(Duration.between(bounds.get(i), bounds.get(i + 1)));
        }
        return lengths;
    }

    @Test
    void berlinDaysLast23And25HoursAcrossDst() {
        List<Instant> spring = bounds("2024-03-29T23:00:00Z", "2024-04-01T22:00:00Z", WindowSize.DAY, "Europe/Berlin");
        assertThat(spring).containsExactly(Instant.parse("2024-03-29T23:00:00Z"), Instant.parse("2024-03-30T23:00:00Z"),
                Instant.parse("2024-03-31T22:00:00Z"), Instant.parse("2024-04-01T22:00:00Z"));
        assertThat(lengths(spring)).containsExactly(Duration.ofHours(24), Duration.ofHours(23), Duration.ofHours(24));
        List<Instant> autumn = bounds("2024-10-26T22:00:00Z", "2024-10-28T23:00:00Z", WindowSize.DAY, "Europe/Berlin");
        assertThat(lengths(autumn)).containsExactly(Duration.ofHours(25), Duration.ofHours(24));
    }

    @Test
    void berlinHoursAcrossTheAutumnChangeAreEachAnHourTheRepeatedHourTwice() {
        List<Instant> hours = bounds("2024-10-26T23:00:00Z", "2024-10-27T03:00:00Z", WindowSize.HOUR, "Europe/Berlin");
        assertThat(hours).hasSize(5);
        assertThat(lengths(hours)).allMatch(d -> d.equals(Duration.ofHours(1)));
    }

    @Test
    void kathmanduHoursAndDaysStartAtAQuarterPast() {
        assertThat(bounds("2024-01-01T00:00:00Z", "2024-01-01T02:00:00Z", WindowSize.HOUR, "Asia/Kathmandu"))
                .containsExactly(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:15:00Z"),
                        Instant.parse("2024-01-01T01:15:00Z"), Instant.parse("2024-01-01T02:00:00Z"));
        assertThat(WindowSize.DAY.floor(Instant.parse("2024-01-01T12:00:00Z"), ZoneId.of("Asia/Kathmandu")))
                .isEqualTo(Instant.parse("2023-12-31T18:15:00Z"));
    }

    @Test
    void weeksAreIsoWeeksFromMondayAndWindowsAreClippedToThePeriod() {
        // 2024-01-03 is a Wednesday; 2024-01-08 and 2024-01-15 are Mondays
        assertThat(bounds("2024-01-03T00:00:00Z", "2024-01-17T00:00:00Z", WindowSize.WEEK, "UTC"))
                .containsExactly(Instant.parse("2024-01-03T00:00:00Z"), Instant.parse("2024-01-08T00:00:00Z"),
                        Instant.parse("2024-01-15T00:00:00Z"), Instant.parse("2024-01-17T00:00:00Z"));
    }

    @Test
    void monthsInNewYorkFollowItsOffsets() {
        assertThat(bounds("2024-01-01T05:00:00Z", "2024-04-01T04:00:00Z", WindowSize.MONTH, "America/New_York"))
                .containsExactly(Instant.parse("2024-01-01T05:00:00Z"), Instant.parse("2024-02-01T05:00:00Z"),
                        Instant.parse("2024-03-01T05:00:00Z"), Instant.parse("2024-04-01T04:00:00Z"));
    }

    @Test
    void aZoneThatSkipsADayStillMovesOn() {
        List<Instant> apia = bounds("2011-12-28T00:00:00Z", "2012-01-02T00:00:00Z", WindowSize.DAY, "Pacific/Apia");
        assertThat(lengths(apia)).allMatch(d -> !d.isNegative() && !d.isZero());
        List<Instant> lordHowe = bounds("2024-04-06T13:00:00Z", "2024-04-06T18:00:00Z", WindowSize.HOUR,
                "Australia/Lord_Howe");
        assertThat(lengths(lordHowe)).allMatch(d -> !d.isNegative() && !d.isZero());
    }
}
