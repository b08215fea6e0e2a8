package dev.usageevents.app.faults;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One HTTP request of a test's traffic, and what it means: the channel, whether it writes, and the customer event
 * ids it carries (so that what is acknowledged can be checked against the database).
 *
 * @param eventIds the customer event ids of a write, in order; empty for a read
 */
record Call(Channel channel, boolean write, String method, URI uri, Map<String, String> headers, String body,
        List<String> eventIds) {

    enum Channel { SEQUENCE, MANTLE }

    /** Every event is of this customer, type and time; only the properties (and ids) differ. */
    static final String CUSTOMER = "cus_faults";
    static final String EVENT_TYPE = "api-call";
    static final String TIMESTAMP = "2025-06-01T12:00:00Z";
    static final long TIMESTAMP_MILLIS = 1_748_779_200_000L;

    /** Sequence {@code POST /api/usage-events}: last wins. {@code n} makes the content distinct. */
    static Call sequenceCreate(String baseUrl, Account account, String eventId, long n) {
        String body = "{\"customerEventId\":\"" + eventId + "\",\"customerAlias\":\"" + CUSTOMER
                + "\",\"eventType\":\"" + EVENT_TYPE + "\",\"eventTimestamp\":\"" + TIMESTAMP
                + "\",\"eventProperties\":{\"n\":" + n + ",\"channel\":\"sequence\"}}";
        return new Call(Channel.SEQUENCE, true, "POST", URI.create(baseUrl + "/api/usage-events"),
                sequenceHeaders(account), body, List.of(eventId));
    }

    /** Sequence {@code GET /api/usage-events}: a page of current events. */
    static Call sequenceList(String baseUrl, Account account) {
        return new Call(Channel.SEQUENCE, false, "GET", URI.create(baseUrl + "/api/usage-events?limit=5"),
                sequenceHeaders(account), null, List.of());
    }

    /** Sequence {@code GET /api/usage-events?eventId=...}: the current event of a customer event id. */
    static Call sequenceListByEventId(String baseUrl, Account account, String eventId) {
        return new Call(Channel.SEQUENCE, false, "GET", URI.create(baseUrl + "/api/usage-events?eventId=" + eventId),
                sequenceHeaders(account), null, List.of());
    }

    /** Sequence {@code GET /api/usage-events/{id}}: one version. */
    static Call sequenceGet(String baseUrl, Account account, UUID id) {
        return new Call(Channel.SEQUENCE, false, "GET", URI.create(baseUrl + "/api/usage-events/" + id),
                sequenceHeaders(account), null, List.of());
    }

    /** Mantle {@code POST /v1/usage_events} with the app API key: first wins. One event, or a batch. */
    static Call mantleSend(String baseUrl, Account account, List<String> eventIds, long n) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < eventIds.size(); i++) {
            if (i > 0) {
                events.append(',');
            }
            events.append("{\"eventId\":\"").append(eventIds.get(i)).append("\",\"eventName\":\"").append(EVENT_TYPE)
                    .append("\",\"customerId\":\"").append(CUSTOMER).append("\",\"timestamp\":")
                    .append(TIMESTAMP_MILLIS).append(",\"properties\":{\"n\":").append(n)
                    .append(",\"i\":").append(i).append(",\"channel\":\"mantle\"}}");
        }
        String body = eventIds.size() == 1 ? events.toString() : "{\"events\":[" + events + "]}";
        return new Call(Channel.MANTLE, true, "POST", URI.create(baseUrl + "/v1/usage_events"),
                mantleHeaders(account), body, List.copyOf(eventIds));
    }

    /** Mantle {@code GET /v1/usage_events}: a page of current events. */
    static Call mantleList(String baseUrl, Account account) {
        return new Call(Channel.MANTLE, false, "GET", URI.create(baseUrl + "/v1/usage_events?take=5"),
                mantleHeaders(account), null, List.of());
    }

    /** Sequence {@code POST /api/usage-metrics}: defines a meter. */
    static Call sequenceCreateMeter(String baseUrl, Account account, String body) {
        return new Call(Channel.SEQUENCE, true, "POST", URI.create(baseUrl + "/api/usage-metrics"),
                sequenceHeaders(account), body, List.of());
    }

    /** Sequence {@code GET /api/usage-metrics/{id}/calculate} with the query string given. */
    static Call sequenceCalculate(String baseUrl, Account account, String meterId, String query) {
        return new Call(Channel.SEQUENCE, false, "GET", URI.create(baseUrl + "/api/usage-metrics/" + meterId
                + "/calculate?" + query), sequenceHeaders(account), null, List.of());
    }

    /** The same request, sent to another instance of the service. */
    Call to(String baseUrl) {
        URI target = URI.create(baseUrl);
        return new Call(channel, write, method, URI.create(target.getScheme() + "://" + target.getAuthority()
                + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())), headers, body,
                eventIds);
    }

    private static Map<String, String> sequenceHeaders(Account account) {
        String credentials = account.sequenceClientId() + ":" + account.sequenceClientSecret();
        return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                credentials.getBytes(StandardCharsets.UTF_8)), "Content-Type", "application/json");
    }

    private static Map<String, String> mantleHeaders(Account account) {
        return Map.of("X-Mantle-App-Id", account.mantleAppId(), "X-Mantle-App-Api-Key", account.mantleApiKey(),
                "Content-Type", "application/json");
    }

    @Override
    public String toString() {
        return method + " " + uri + (body == null ? "" : " " + body);
    }
}
