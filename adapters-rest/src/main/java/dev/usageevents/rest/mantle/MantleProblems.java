package dev.usageevents.rest.mantle;

import dev.usageevents.rest.mantle.MantleError.FieldDetail;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems found while reading one request, by kind: malformed (400: not of the schema's shape or types),
 * forbidden (403: another customer than the token's), invalid (422: of the right shape, but a value breaks a
 * rule). The worst kind decides the status; every field of that kind is named.
 */
final class MantleProblems {

    private final List<FieldDetail> malformed = new ArrayList<>();
    private final List<FieldDetail> forbidden = new ArrayList<>();
    private final List<FieldDetail> invalid = new ArrayList<>();

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
