package dev.usageevents.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.PageCursor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PageCursorTest {

    private static final UUID ID = UUID.fromString("0190a8e0-0000-7000-8000-00000000000a");

    private static String encoded(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aCursorThisServiceWroteIsReadBack() {
        PageCursor cursor = new PageCursor(Instant.parse("2024-01-01T00:00:00.123Z"), ID);
        assertThat(PageCursor.decode("after", cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void anyOtherSpellingOfTheSamePositionIsRefusedNamingTheParameter() {
        String[] bad = {
            encoded("1704067200000:1-2-3-4-5"),
            encoded("1704067200000:" + ID.toString().toUpperCase()),
            encoded("1704067200000:" + ID + " "),
            encoded("+1704067200000:" + ID),
            encoded("01704067200000:" + ID),
            encoded("1704067200000:" + ID) + "==",
            Base64.getEncoder().encodeToString(("1704067200000:" + ID).getBytes(StandardCharsets.US_ASCII)) + "x",
        };
        for (String text : bad) {
            assertThatThrownBy(() -> PageCursor.decode("before", text)).as(text)
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("before");
        }
    }
}
