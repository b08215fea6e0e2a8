package dev.usageevents.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.InvalidInputException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventPropertiesTest {

    @Test
    void keepsJsonTypesAndOrder() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("length", 500);
        in.put("type", "text_message");
        in.put("ratio", new BigDecimal("0.50"));
        in.put("ok", true);
        in.put("none", null);
        in.put("list", List.of(1, "two", Map.of("three", 3)));
        EventProperties p = EventProperties.of(in);

        assertThat(p.toJson()).isEqualTo(
                "{\"length\":500,\"type\":\"text_message\",\"ratio\":0.50,\"ok\":true,\"none\":null,"
                        + "\"list\":[1,\"two\",{\"three\":3}]}");
        assertThat(p.values().get("length")).isEqualTo(500);
    }

    @Test
    void escapesStrings() {
        assertThat(EventProperties.of(Map.of("q", "a\"b\\c\nd\u0001")).toJson())
                .isEqualTo("{\"q\":\"a\\\"b\\\\c\\nd\\u0001\"}");
    }

    @Test
    void comparesAsJsonbDoes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("x", 1);
        a.put("y", 2.0);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("y", new BigDecimal("2"));
        b.put("x", 1L);
        assertThat(EventProperties.of(a).sameAs(EventProperties.of(b))).isTrue();
        assertThat(EventProperties.of(Map.of("x", 1)).sameAs(EventProperties.of(Map.of("x", "1")))).isFalse();
        assertThat(EventProperties.of(Map.of("x", List.of(1, 2))).sameAs(EventProperties.of(Map.of("x", List.of(2, 1)))))
                .isFalse();
    }

    @Test
    void allowsSixteenLevelsAndNoMore() {
        assertThat(EventProperties.of(nested(16)).toJson()).startsWith("{\"a\":{\"a\"");
        assertThatThrownBy(() -> EventProperties.of(nested(17)))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.first().message()).isEqualTo("nests deeper than 16 levels"));
    }

    @Test
    void refusesMoreThan32KiB() {
        String big = "x".repeat(EventProperties.MAX_BYTES - 8);
        assertThat(EventProperties.of(Map.of("k", big)).toJson()).hasSize(EventProperties.MAX_BYTES);
        assertThatThrownBy(() -> EventProperties.of(Map.of("k", big + "x")))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.first().field()).isEqualTo("properties"));
    }

    @Test
    void refusesNulCharactersAndNonJsonValues() {
        assertThatThrownBy(() -> EventProperties.of(Map.of("k\u0000", 1)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> EventProperties.of(Map.of("a", List.of("ok", "b\u0000"))))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.first().field()).isEqualTo("properties.a[1]"));
        assertThatThrownBy(() -> EventProperties.of(Map.of("d", Double.NaN)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> EventProperties.of(Map.of("o", new Object())))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void isImmutable() {
        Map<String, Object> in = new HashMap<>();
        in.put("list", Arrays.asList(1, 2));
        EventProperties p = EventProperties.of(in);
        in.put("more", 1);
        assertThat(p.values()).containsOnlyKeys("list");
        assertThatThrownBy(() -> p.values().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    private static Map<String, Object> nested(int levels) {
        Map<String, Object> inner = Map.of("leaf", 1);
        for (int i = 1; i < levels; i++) {
            inner = Map.of("a", inner);
        }
        return inner;
    }
}
