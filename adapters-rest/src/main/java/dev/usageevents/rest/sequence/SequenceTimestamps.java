package dev.usageevents.rest.sequence;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;

/**
 * Sequence's timestamps: read as ISO 8601 with {@code Z} or an offset, written in UTC with {@code Z}. The usual
 * shape is read without a formatter ({@link #parseCommon}), on the event loop's hot path.
 */
final class SequenceTimestamps {

    /** ISO 8601 date and time with {@code Z} or an offset ({@code +02:00}, {@code +0200}, {@code +02}). */
    static final DateTimeFormatter ISO_8601 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .appendPattern("[XXXXX][XXXX][X]")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(IsoChronology.INSTANCE);

    private SequenceTimestamps() {
    }

    /** The instant an ISO 8601 text names; {@link DateTimeParseException} for any other text. */
    static Instant parse(String text) {
        Instant common = parseCommon(text);
        return common != null ? common : OffsetDateTime.parse(text, ISO_8601).toInstant();
    }

    /**
     * The usual shape, {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)}, read without a formatter (the formatter
     * was a visible share of the event loop's time per event: bench/RESULTS.md); null for anything else, which the
     * formatter then reads or refuses. Gives the formatter's result for every text it accepts (a test compares
     * both).
     */
    static Instant parseCommon(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || (text.charAt(10) | 0x20) != 't'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < 9 && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                nanos = nanos * 10 + (text.charAt(at++) - '0');
            }
            if (at == start) {
                return null;
            }
            for (int n = at - start; n < 9; n++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (at == length - 1 && (text.charAt(at) | 0x20) == 'z') {
            offsetSeconds = 0;
        } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-')
                && text.charAt(at + 3) == ':') {
            int hours = digits(text, at + 1, 2);
            int minutes = digits(text, at + 4, 2);
            if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59 || (hours == 18 && minutes > 0)) {
                return null;
            }
            offsetSeconds = (text.charAt(at) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds,
                nanos);
    }

    /** The number written with {@code count} ASCII digits at {@code start}, or -1. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** UTC with {@code Z}; milliseconds only when not zero: {@code 2022-10-01T00:00:00Z}, {@code ...00.250Z}. */
    static String format(Instant timestamp) {
        return DateTimeFormatter.ISO_INSTANT.format(timestamp.truncatedTo(ChronoUnit.MILLIS));
    }
}
