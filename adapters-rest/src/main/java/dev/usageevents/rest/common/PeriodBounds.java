package dev.usageevents.rest.common;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The period bounds of the vendors' meter queries: a day ({@code 2024-01-31}), read in the query's time zone, or
 * an ISO 8601 instant with an offset ({@code 2024-01-31T12:00:00Z}). Whether a day is inclusive is the caller's
 * rule (Sequence's {@code periodEnd} and Mantle's {@code endDate} are).
 */
public final class PeriodBounds {

    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private PeriodBounds() {
    }

    /** A day, or an instant: exactly one is present. */
    public record Bound(LocalDate day, Instant instant) {

        /** The instant itself, or the day's first instant in {@code zone}. */
        public Instant start(ZoneId zone) {
            return day == null ? instant : day.atStartOfDay(zone).toInstant();
        }

        /** The instant itself (exclusive), or the first instant of the next day in {@code zone} (day inclusive). */
        public Instant endInclusiveDay(ZoneId zone) {
            return day == null ? instant : day.plusDays(1).atStartOfDay(zone).toInstant();
        }
    }

    /** @throws IllegalArgumentException with a message for the field, when the text is neither */
    public static Bound parse(String text) {
        String trimmed = text.trim();
        try {
            if (DAY.matcher(trimmed).matches()) {
                return new Bound(LocalDate.parse(trimmed), null);
            }
            return new Bound(null, OffsetDateTime.parse(trimmed, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be a day (2024-01-31) or an ISO 8601 instant with an offset "
                    + "(2024-01-31T00:00:00Z), got '" + abbreviate(trimmed) + "'");
        }
    }

    /** An ISO 8601 instant with an offset, or empty for null or blank text. */
    public static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an ISO 8601 instant with an offset (2024-01-31T00:00:00Z), "
                    + "got '" + abbreviate(text.trim()) + "'");
        }
    }

    /** The IANA zone named, UTC when none is. */
    public static ZoneId zone(String text) {
        if (text == null || text.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("must be an IANA time zone such as Europe/Berlin, got '"
                    + abbreviate(text.trim()) + "'");
        }
    }

    public static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
