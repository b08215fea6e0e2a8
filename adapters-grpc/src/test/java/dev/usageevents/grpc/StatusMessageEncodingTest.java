package dev.usageevents.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusMessageEncodingTest {

    @Test
    void printableAsciiOtherThanPercentIsSentAsItIs() {
        assertThat(StatusMessageEncoding.encode("events[1].customer_id: must not be empty (see ~/docs?a=b&c=*+#)"))
                .isEqualTo("events[1].customer_id: must not be empty (see ~/docs?a=b&c=*+#)");
    }

    @Test
    void percentControlAndNonAsciiBytesArePercentEncoded() {
        assertThat(StatusMessageEncoding.encode("100% \u00e9\n\t"))
                .isEqualTo("100%25 %C3%A9%0A%09");
    }
}
