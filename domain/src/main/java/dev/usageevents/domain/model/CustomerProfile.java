package dev.usageevents.domain.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an app tells about one of its customers at identify. {@code platform} (e.g. {@code shopify}) is required;
 * every other field is optional (null when not given). {@code customFields} is a JSON object with the limits of
 * event properties.
 */
public record CustomerProfile(
        String platform,
        String platformId,
        String myshopifyDomain,
        String name,
        String email,
        String platformPlanName,
        EventProperties customFields,
        Instant createdAt) {

    public static final String SHOPIFY = "shopify";
    public static final int MAX_TEXT_LENGTH = 255;

    public CustomerProfile {
        Objects.requireNonNull(platform, "platform");
    }

    /**
     * Validates what a client sent, naming every bad field at once.
     *
     * @throws InvalidInputException when a field breaks a rule
     */
    public static CustomerProfile of(String platform, String platformId, String myshopifyDomain, String name,
            String email, String platformPlanName, Map<String, ?> customFields, Instant createdAt) {
        List<FieldError> errors = new ArrayList<>();
        if (platform == null || platform.isBlank()) {
            errors.add(FieldError.of("platform", "is required"));
        } else {
            text(errors, "platform", platform);
        }
        text(errors, "platformId", platformId);
        text(errors, "myshopifyDomain", myshopifyDomain);
        text(errors, "name", name);
        text(errors, "email", email);
        text(errors, "platformPlanName", platformPlanName);
        if (SHOPIFY.equalsIgnoreCase(platform) && (myshopifyDomain == null || myshopifyDomain.isEmpty())) {
            errors.add(FieldError.of("myshopifyDomain", "is required when platform is shopify"));
        }
        if (platform != null && !SHOPIFY.equalsIgnoreCase(platform) && platformId == null && myshopifyDomain == null) {
            errors.add(FieldError.of("platformId", "is required (it is the customerId of the customer's events)"));
        }
        EventProperties fields = null;
        try {
            fields = customFields == null ? null : EventProperties.of("customFields", customFields);
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new CustomerProfile(platform, platformId, myshopifyDomain, name, email, platformPlanName, fields,
                createdAt);
    }

    /** The customer id of this customer's events: its platform id, else its myshopify domain. */
    public CustomerId reference() {
        return new CustomerId(platformId != null ? platformId : myshopifyDomain);
    }

    /** This profile with the fields {@code update} states replacing the ones it has. */
    public CustomerProfile updatedWith(CustomerProfile update) {
        return new CustomerProfile(update.platform,
                either(update.platformId, platformId),
                either(update.myshopifyDomain, myshopifyDomain),
                either(update.name, name),
                either(update.email, email),
                either(update.platformPlanName, platformPlanName),
                either(update.customFields, customFields),
                either(update.createdAt, createdAt));
    }

    private static <T> T either(T given, T kept) {
        return given != null ? given : kept;
    }

    private static void text(List<FieldError> errors, String field, String value) {
        if (value == null) {
            return;
        }
        try {
            Identifier.validate(field, value);
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
    }
}
