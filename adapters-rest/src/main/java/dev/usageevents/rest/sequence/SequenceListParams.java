package dev.usageevents.rest.sequence;

/**
 * The query parameters of {@code GET /api/usage-events}, as sent; any of them may be null. An empty value
 * ({@code ?customerAlias=}) is no value, as clients that build URLs from optional filters send it.
 */
record SequenceListParams(String customerAlias, String eventType, String eventId, String eventTimestampAfter,
        String eventTimestampBefore, String sortOrder, String limit, String after, String before,
        String offset) {

    SequenceListParams {
        customerAlias = given(customerAlias);
        eventType = given(eventType);
        eventId = given(eventId);
        eventTimestampAfter = given(eventTimestampAfter);
        eventTimestampBefore = given(eventTimestampBefore);
        sortOrder = given(sortOrder);
        limit = given(limit);
        after = given(after);
        before = given(before);
        offset = given(offset);
    }

    private static String given(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    static final String CUSTOMER_ALIAS = "customerAlias";
    static final String EVENT_TYPE = "eventType";
    static final String EVENT_ID = "eventId";
    static final String EVENT_TIMESTAMP_AFTER = "eventTimestampAfter";
    static final String EVENT_TIMESTAMP_BEFORE = "eventTimestampBefore";
    static final String SORT_ORDER = "sortOrder";
    static final String LIMIT = "limit";
    static final String OFFSET = "offset";
}
