package dev.usageevents.domain.port.in;

import java.time.Instant;
import java.util.Map;

/**
 * An identify call as a client sent it, before validation: the customer's profile and whether to replace its
 * API token. Absent fields are null.
 */
public record IdentifyCommand(
        String platform,
        String platformId,
        String myshopifyDomain,
        String name,
        String email,
        String platformPlanName,
        Map<String, ?> customFields,
        Instant createdAt,
        boolean rotateApiToken) {
}
