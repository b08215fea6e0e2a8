package dev.usageevents.domain.model;

/**
 * One problem with one field of the input. {@code index} is the position of the event in its batch, or
 * {@code null} when the problem is not tied to one event.
 */
public record FieldError(Integer index, String field, String message) {

    public FieldError {
        if (field == null || message == null) {
            throw new IllegalArgumentException("field and message are required");
        }
    }

    public static FieldError of(String field, String message) {
        return new FieldError(null, field, message);
    }

    public FieldError at(int batchIndex) {
        return new FieldError(batchIndex, field, message);
    }

    /** The field as a path, with the batch index when there is one: {@code events[7].eventName}. */
    public String path(String batchName) {
        return index == null ? field : batchName + "[" + index + "]." + field;
    }

    @Override
    public String toString() {
        return (index == null ? "" : "[" + index + "] ") + field + ": " + message;
    }
}
