package dev.usageevents.rest.mantle;

import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.FieldErrors;
import dev.usageevents.rest.mantle.MantleError.FieldDetail;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The problems found while reading one request, by kind: malformed (400: not of the schema's shape or types),
 * forbidden (403: another customer than the token's), invalid (422: of the right shape, but a value breaks a
 * rule). The worst kind decides the status; every field of that kind is named.
 */
final class MantleProblems {

    private final List<FieldDetail> malformed = new ArrayList<>();
    private final List<FieldDetail> forbidden = new ArrayList<>();
    private final List<FieldDetail> invalid = new ArrayList<>();

    /**
     * The value {@code build} makes, or null after noting the domain's refusal of it as malformed (a query
     * parameter or field of the wrong shape).
     */
    <T> T check(Supplier<T> build) {
        List<FieldError> errors = new ArrayList<>();
        T value = FieldErrors.check(errors, build);
        errors.forEach(error -> malformed(error.field(), error.message()));
        return value;
    }

    void malformed(String field, String message) {
        malformed.add(new FieldDetail(field, message));
    }

    void forbidden(String field, String message) {
        forbidden.add(new FieldDetail(field, message));
    }

    void invalid(String field, String message) {
        invalid.add(new FieldDetail(field, message));
    }

    /** Throws the refusal for the problems found, if any. */
    void throwIfAny() {
        if (!malformed.isEmpty()) {
            throw MantleApiException.fields(400, malformed);
        }
        if (!forbidden.isEmpty()) {
            throw MantleApiException.fields(403, forbidden);
        }
        if (!invalid.isEmpty()) {
            throw MantleApiException.fields(422, invalid);
        }
    }
}
