package dev.usageevents.domain.model;

import java.util.List;
import java.util.stream.Collectors;

/** Input that breaks a rule of the contract. Adapters answer it with a 4xx / INVALID_ARGUMENT. */
public class InvalidInputException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an InvalidInputException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(FieldError error) {
        this(List.of(error));
    }

    public static InvalidInputException of(String field, String message) {
        return new InvalidInputException(FieldError.of(field, message));
    }

    public List<FieldError> errors() {
        return errors;
    }

    public FieldError first() {
        return errors.get(0);
    }
}
