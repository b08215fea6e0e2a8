package dev.usageevents.domain.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * A keyset position in a list ordered by (timestamp, id), shown to clients as an opaque string. Paging by
 * position, not offset, keeps pages free of duplicates and gaps while events are being inserted.
 */
public record PageCursor(Instant timestamp, UUID id) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    public PageCursor {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(id, "id");
    }

    public static PageCursor of(UsageEvent event) {
        return new PageCursor(event.timestamp(), event.id());
    }

    public String encode() {
        return ENCODER.encodeToString((timestamp.toEpochMilli() + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads a cursor this service wrote; anything else is invalid input of {@code field}. Strictly: a cursor is
     * accepted only if encoding what it decodes to gives it back, character for character (canonical Base64, a
     * canonical number, a canonical lower-case UUID), as {@link UUID#fromString} alone would take {@code 1-2-3-4-5}
     * and {@link Long#parseLong} a {@code +} or leading zeros.
     */
    public static PageCursor decode(String field, String text) {
        try {
            PageCursor cursor = lenient(text);
            if (!cursor.encode().equals(text)) {
                throw new IllegalArgumentException("not in the form this service writes");
            }
            return cursor;
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(field, "is not a cursor returned by this service");
        }
    }

    private static PageCursor lenient(String text) {
        String plain = new String(DECODER.decode(text), StandardCharsets.US_ASCII);
        int colon = plain.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no separator");
        }
        Instant timestamp = Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon)));
        if (timestamp.isBefore(EventFilter.EARLIEST) || timestamp.isAfter(EventFilter.LATEST)) {
            throw new IllegalArgumentException("no event has such a timestamp");
        }
        return new PageCursor(timestamp, UUID.fromString(plain.substring(colon + 1)));
    }
}
