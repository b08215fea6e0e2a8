package dev.usageevents.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.usageevents.domain.model.EventProperties;
import java.util.Map;

/** Reads stored {@code jsonb} back into properties, keeping integers integral and decimals exact. */
final class PropertiesJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private PropertiesJson() {
    }

    static EventProperties read(String json) {
        try {
            return EventProperties.of(MAPPER.readValue(json, OBJECT));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored properties are not a JSON object", e);
        }
    }
}
