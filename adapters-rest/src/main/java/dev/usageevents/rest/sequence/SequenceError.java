package dev.usageevents.rest.sequence;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Sequence's error body: {@code {"error":{"type":"...","message":"..."}}}; validation errors add
 * {@code "errors":[{"field":"...","message":"..."}]} inside {@code error}, naming the fields as Sequence does.
 */
public record SequenceError(Detail error) {

    public record Detail(String type, String message,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldMessage> errors) {
    }

    public record FieldMessage(String field, String message) {
    }

    static SequenceError of(String type, String message, List<FieldMessage> errors) {
        return new SequenceError(new Detail(type, message, errors));
    }
}
