package dev.usageevents.domain.model.meter;

import java.util.List;

/**
 * A path into an event's properties, written dot-separated ({@code usage.input_tokens}): 1–16 non-empty segments.
 * Validation (and the parse from text) belongs to this type; field errors name the caller's field.
 */
public record PropertyPath(List<String> segments) {

    public static final int MAX_DEPTH = 16;

    public PropertyPath {
        segments = List.copyOf(segments);
    }

    public String dotted() {
        return String.join(".", segments);
    }

    @Override
    public String toString() {
        return dotted();
    }
}
