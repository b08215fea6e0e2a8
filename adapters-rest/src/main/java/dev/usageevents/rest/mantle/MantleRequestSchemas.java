package dev.usageevents.rest.mantle;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The request bodies of the Mantle schema as the OpenAPI document describes them, for generated clients.
 * {@link MantleRequests} reads the bodies itself, strictly and with the vendor's aliases; these types only name
 * and document their fields.
 */
final class MantleRequestSchemas {

    private MantleRequestSchemas() {
    }

    static final String CUSTOMER_ID = "The customer's reference (its platformId at identify). Required with the API "
            + "key; with a customer token it may be omitted and must otherwise be the token's customer. Also "
            + "accepted as customer_id";
    static final String EVENT_ID = "The unique identifier of the event, for deduplication: a later event with the "
            + "same eventId is acknowledged and not stored. Generated when absent. Also accepted as event_id";
    static final String EVENT_NAME = "The event name (a key) used to track the usage metric. Also accepted as "
            + "event_name";
    static final String TIMESTAMP = "The time the event occurred in epoch milliseconds (an ISO 8601 string is "
            + "accepted too). Default: the time of receipt";
    static final String PROPERTIES = "Key-value pairs of properties for the event (a JSON object of at most 32 KiB "
            + "and 16 levels)";

    @Schema(name = "MantleUsageEventsRequest", description = "One event, or several in events",
            oneOf = {UsageEvent.class, UsageEventBatch.class})
    sealed interface UsageEvents permits UsageEvent, UsageEventBatch {
    }

    @Schema(name = "MantleUsageEvent", description = "One usage event")
    record UsageEvent(
            @Schema(description = CUSTOMER_ID, maxLength = 255) String customerId,
            @Schema(description = EVENT_ID, maxLength = 255) String eventId,
            @Schema(required = true, description = EVENT_NAME, maxLength = 255) String eventName,
            @Schema(description = TIMESTAMP, format = "int64") Long timestamp,
            @Schema(description = PROPERTIES) Map<String, Object> properties) implements UsageEvents {
    }

    @Schema(name = "MantleUsageEventBatch", description = "Several usage events, stored all or none")
    record UsageEventBatch(
            @Schema(required = true, description = "An array of usage events, 1 to 1000. Used when you would like to "
                    + "bulk send usage events", minItems = 1, maxItems = 1000) List<UsageEvent> events)
            implements UsageEvents {
    }

    @Schema(name = "MantleIdentifyRequest", description = "A customer of the app. Unknown fields are ignored")
    record Identify(
            @Schema(required = true, description = "The customer's platform, e.g. shopify or stripe") String platform,
            @Schema(description = "The customer's id on the platform: its reference, the customerId of its events")
            String platformId,
            @Schema(description = "Required when platform is shopify; the reference when platformId is absent")
            String myshopifyDomain,
            String name,
            String email,
            String platformPlanName,
            Map<String, Object> customFields,
            @Schema(description = "When the customer was created: epoch milliseconds or ISO 8601") String createdAt,
            @Schema(description = "Replace the customer's API token; the old one stops working")
            Boolean rotateApiToken) {
    }
}
