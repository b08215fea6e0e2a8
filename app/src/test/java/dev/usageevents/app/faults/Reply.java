package dev.usageevents.app.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;

/**
 * What became of a {@link Call}: an HTTP answer, or a failure at the transport level (no answer: refused, reset,
 * timed out). Times are {@link System#nanoTime()}.
 */
record Reply(Call call, int status, String body, Optional<String> retryAfter, IOException failure, long sentAt,
        long answeredAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Reply answered(Call call, int status, String body, Optional<String> retryAfter, long sentAt) {
        return new Reply(call, status, body, retryAfter, null, sentAt, System.nanoTime());
    }

    static Reply failed(Call call, IOException failure, long sentAt) {
        return new Reply(call, -1, null, Optional.empty(), failure, sentAt, System.nanoTime());
    }

    boolean answered() {
        return failure == null;
    }

    /** A 2xx: for a write, the service promises that its events are committed. */
    boolean acknowledged() {
        return answered() && status / 100 == 2;
    }

    boolean acknowledgedWrite() {
        return call.write() && acknowledged();
    }

    /** The id of the stored version a Sequence create answered with. */
    UUID sequenceId() {
        return UUID.fromString(json().path("id").asText());
    }

    JsonNode json() {
        return json(body);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    @Override
    public String toString() {
        return call + " -> " + (answered() ? status + " " + body : failure.toString());
    }
}
