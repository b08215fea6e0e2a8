package dev.usageevents.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A customer of an account's app, as the app identified it (Mantle {@code POST /v1/identify}). Its
 * {@code reference} is the customer id its usage events carry: the {@code platformId} given at identify, else its
 * {@code myshopifyDomain}. The other fields are what the app told about the customer; absent ones are null.
 */
public record Customer(
        UUID id,
        AccountId accountId,
        CustomerId reference,
        CustomerProfile profile,
        Instant firstIdentifiedAt,
        Instant lastIdentifiedAt) {

    public Customer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(firstIdentifiedAt, "firstIdentifiedAt");
        Objects.requireNonNull(lastIdentifiedAt, "lastIdentifiedAt");
    }

    /** This customer identified again at {@code at}: the fields given now replace the stored ones. */
    public Customer reidentified(CustomerProfile update, Instant at) {
        return new Customer(id, accountId, reference, profile.updatedWith(update), firstIdentifiedAt, at);
    }
}
