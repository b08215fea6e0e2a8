package dev.usageevents.rest.mantle;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Mantle's timestamps: read as epoch milliseconds or ISO 8601 date-times with a zone (and, as bounds of a range,
 * dates), written as ISO 8601 in UTC with milliseconds ({@code 2024-03-01T17:47:04.000Z}).
 */
final class MantleTimestamps {

    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d{1,19}");
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private MantleTimestamps() {
    }

    /** Epoch milliseconds in digits, or an ISO 8601 date-time with a zone; null when the text is neither. */
    static Instant parse(String text) {
        try {
            if (EPOCH_MILLIS.matcher(text).matches()) {
                return Instant.ofEpochMilli(Long.parseLong(text));
            }
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    /**
     * A bound of a time range, inclusive: as {@link #parse}, or a date (UTC), which as an end bound includes that
     * whole day; null when the text is none of them.
     */
    static Instant bound(String text, boolean end) {
        try {
            LocalDate day = LocalDate.parse(text);
            return end ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1)
                    : day.atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return parse(text);
        }
    }

    static String format(Instant instant) {
        return ISO_MILLIS.format(instant);
    }
}
