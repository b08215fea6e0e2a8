package dev.usageevents.rest.mantle;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One event as the list returns it. */
@Schema(name = "MantleEvent", description = "A stored usage event")
record MantleEvent(
        @Schema(required = true, format = "uuid", description = "Assigned by the service") String id,
        @Schema(required = true) String eventId,
        @Schema(required = true) String eventName,
        @Schema(required = true) String customerId,
        @Schema(required = true, format = "date-time", examples = "2024-03-01T17:47:04.000Z") String timestamp,
        @Schema(required = true) Map<String, Object> properties) {
}
