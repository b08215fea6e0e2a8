package dev.usageevents.domain.model;

import java.util.List;
import java.util.function.Supplier;

/**
 * How every reader of an input gathers its field errors, so that one answer names every bad field: each value is
 * built through {@link #check}, the errors go to one list, and {@link #throwIfAny} refuses the input at the end.
 * The domain's services and the adapters' mappers share it.
 */
public final class FieldErrors {

    private FieldErrors() {
    }

    /** The value {@code build} makes, or null after adding the field errors it refused the value with. */
    public static <T> T check(List<FieldError> errors, Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    /** Refuses the input if any error was found. */
    public static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
