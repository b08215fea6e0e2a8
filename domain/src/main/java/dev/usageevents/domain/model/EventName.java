package dev.usageevents.domain.model;

/** What was used (Mantle {@code eventName}, Sequence {@code eventType}), e.g. {@code message-sent}. */
public record EventName(String value) {

    public static final String FIELD = "eventName";

    public EventName {
        Identifier.validate(FIELD, value);
    }

    @Override
    public String toString() {
        return value;
    }
}
