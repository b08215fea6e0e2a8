package dev.usageevents.rest.sequence;

import java.util.Map;

/** One usage event as Sequence writes it; the fields in the vendor's order. */
public record SequenceUsageEvent(
        String id,
        String customerEventId,
        String customerAlias,
        String eventType,
        String sequenceAccountId,
        String eventTimestamp,
        Map<String, Object> eventProperties) {
}
