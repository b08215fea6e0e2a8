package dev.usageevents.domain.model;

/** The customer of the account whose usage an event records (Mantle {@code customerId}, Sequence {@code customerAlias}). */
public record CustomerId(String value) {

    public static final String FIELD = "customerId";

    public CustomerId {
        Identifier.validate(FIELD, value);
    }

    @Override
    public String toString() {
        return value;
    }
}
