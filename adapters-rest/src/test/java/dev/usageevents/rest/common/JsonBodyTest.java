package dev.usageevents.rest.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsJsonTypes() {
        Map<String, Object> map = JsonBody.toMap(JsonBody.parse(bytes(
                "{\"length\":500,\"ratio\":0.50,\"big\":12345678901234567890,\"ok\":true,\"n\":null,\"l\":[1,\"a\"]}")));
        assertThat(map.get("length")).isEqualTo(500);
        assertThat(map.get("ratio")).isEqualTo(new BigDecimal("0.50"));
        assertThat(map.get("big")).isEqualTo(new java.math.BigInteger("12345678901234567890"));
        assertThat(map.get("ok")).isEqualTo(true);
        assertThat(map).containsEntry("n", null);
        assertThat(map.get("l")).isEqualTo(List.of(1, "a"));
    }

    @Test
    void refusesWhatIsNotExactlyOneJsonValue() {
        for (String body : new String[] {"", "{", "{\"a\":1} {}", "{\"a\":1,\"a\":2}", "{'a':1}", "{\"a\":NaN}",
                "[".repeat(JsonBody.MAX_NESTING + 1)}) {
            assertThatThrownBy(() -> JsonBody.parse(bytes(body)))
                    .as(body).isInstanceOf(JsonBody.MalformedJsonException.class);
        }
    }
}
