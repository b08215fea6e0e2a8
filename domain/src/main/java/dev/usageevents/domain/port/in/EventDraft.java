package dev.usageevents.domain.port.in;

import java.time.Instant;
import java.util.Map;

/**
 * One event as a client sent it, before validation. {@code eventId} and {@code timestamp} may be null (an id is
 * generated; the time of receipt is used). Field names in errors are the domain's: {@code customerId},
 * {@code eventId}, {@code eventName}, {@code timestamp}, {@code properties}.
 */
public record EventDraft(String customerId, String eventId, String eventName, Instant timestamp,
        Map<String, ?> properties) {
}
