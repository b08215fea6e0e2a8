package dev.usageevents.domain.model;

/** The rule shared by customer ids, event ids and event names: 1–255 characters, no control characters. */
final class Identifier {

    static final int MAX_LENGTH = 255;

    private Identifier() {
    }

    static String validate(String field, String value) {
        if (value == null) {
            throw InvalidInputException.of(field, "is required");
        }
        if (value.isEmpty()) {
            throw InvalidInputException.of(field, "must not be empty");
        }
        int length = value.codePointCount(0, value.length());
        if (length > MAX_LENGTH) {
            throw InvalidInputException.of(field, "must be at most " + MAX_LENGTH + " characters (got " + length + ")");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw InvalidInputException.of(field, String.format("must not contain control characters (U+%04X at %d)", (int) c, i));
            }
        }
        return value;
    }
}
