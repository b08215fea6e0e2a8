package dev.usageevents.domain.model.meter;

import dev.usageevents.domain.model.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A path into an event's properties, written dot-separated ({@code usage.input_tokens}): 1–16 non-empty segments.
 * Validation (and the parse from text) belongs to this type; field errors name the caller's field.
 *
 * <p>A path walks JSON objects only: a segment never indexes an array ({@code items.0} finds nothing in
 * {@code {"items":[5]}}), so that the PostgreSQL reader, which walks with {@code jsonb -> text}, agrees.
 */
public record PropertyPath(List<String> segments) {

    public static final int MAX_DEPTH = 16;

    public PropertyPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty() || segments.size() > MAX_DEPTH || segments.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("a path has 1 to " + MAX_DEPTH + " non-empty segments: " + segments);
        }
    }

    /**
     * Reads a dot-separated path.
     *
     * @throws InvalidInputException of {@code field} when the text is missing or empty, has an empty segment
     *         (leading, trailing or doubled dot) or more than {@value #MAX_DEPTH} segments
     */
    public static PropertyPath parse(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw InvalidInputException.of(field, "must be a non-empty property path such as usage.input_tokens");
        }
        List<String> segments = Arrays.asList(text.split("\\.", -1));
        if (segments.stream().anyMatch(String::isEmpty)) {
            throw InvalidInputException.of(field, "must not have empty segments (a leading, trailing or doubled dot)");
        }
        if (text.indexOf('\u0000') >= 0) {
            throw InvalidInputException.of(field, "must not contain U+0000");
        }
        if (segments.size() > MAX_DEPTH) {
            throw InvalidInputException.of(field,
                    "must have at most " + MAX_DEPTH + " levels (got " + segments.size() + ")");
        }
        return new PropertyPath(segments);
    }

    /** The value at this path in a properties tree; null when missing, JSON null, or under a non-object. */
    public Object find(Map<String, Object> properties) {
        Object node = properties;
        for (String segment : segments) {
            if (!(node instanceof Map<?, ?> object)) {
                return null;
            }
            node = object.get(segment);
        }
        return node;
    }

    public String dotted() {
        return String.join(".", segments);
    }

    @Override
    public String toString() {
        return dotted();
    }
}
