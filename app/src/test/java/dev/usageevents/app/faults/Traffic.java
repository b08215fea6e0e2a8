package dev.usageevents.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The traffic of the fault tests, and the checks of what the service answered to it. */
final class Traffic {

    private Traffic() {
    }

    /**
     * The {@code i}-th call of a steady mix, sent to the instances in turn: Sequence creates, single Mantle
     * events and Mantle batches of three, each with new event ids, and (if {@code reads}) list calls of both
     * schemas.
     */
    static Call mixed(int i, Account account, List<String> baseUrls, boolean reads) {
        String baseUrl = baseUrls.get(i % baseUrls.size());
        return switch (i % (reads ? 5 : 4)) {
            case 0, 1 -> Call.sequenceCreate(baseUrl, account, "s-" + i, i);
            case 2 -> Call.mantleSend(baseUrl, account, List.of("m-" + i), i);
            case 3 -> Call.mantleSend(baseUrl, account, List.of("b-" + i + "-0", "b-" + i + "-1", "b-" + i + "-2"), i);
            default -> (i / 5) % 2 == 0 ? Call.sequenceList(baseUrl, account) : Call.mantleList(baseUrl, account);
        };
    }

    /** The event ids of every write among the replies. */
    static Set<String> eventIds(Collection<Reply> replies) {
        Set<String> ids = new LinkedHashSet<>();
        replies.stream().filter(reply -> reply.call().write()).forEach(reply -> ids.addAll(reply.call().eventIds()));
        return ids;
    }

    /**
     * What a client does once the service is back: sends every write that was not acknowledged again, to
     * {@code baseUrl}, until it is (each must be within a few attempts).
     */
    static List<Reply> retryUnacknowledged(ServiceClient client, Collection<Reply> replies, String baseUrl)
            throws InterruptedException {
        List<Reply> retries = new ArrayList<>();
        for (Reply reply : replies) {
            if (!reply.call().write() || reply.acknowledged()) {
                continue;
            }
            Reply retry = client.send(reply.call().to(baseUrl));
            for (int attempt = 1; !retry.acknowledged() && attempt < 5; attempt++) {
                Thread.sleep(500);
                retry = client.send(reply.call().to(baseUrl));
            }
            assertThat(retry.acknowledged()).as("retry of %s: %s", reply, retry).isTrue();
            retries.add(retry);
        }
        return retries;
    }

    /**
     * Every acknowledged write is stored and every batch is whole; then a client retries what was not
     * acknowledged, and each event id ends with exactly one version.
     */
    static void assertNoLossAndNoDoubleCount(StoredEvents.Database database, Account account, ServiceClient client,
            String baseUrl, List<Reply> replies) throws Exception {
        StoredEvents stored = StoredEvents.of(database, account);
        stored.assertAcknowledgedWritesStored(replies);
        stored.assertBatchesAllOrNothing(replies);
        List<Reply> all = new ArrayList<>(replies);
        all.addAll(retryUnacknowledged(client, replies, baseUrl));
        StoredEvents afterRetries = StoredEvents.of(database, account);
        afterRetries.assertAcknowledgedWritesStored(all);
        afterRetries.assertExactlyOneVersionOfEach(Traffic.eventIds(all));
    }

    /**
     * Every answer that is not a 2xx is a 503 with {@code Retry-After}, in the error shape of its schema:
     * Sequence's {@code {"error":{"type":"ServiceUnavailable","message":...}}}, Mantle's
     * {@code {"error":"...","details":[...]}}.
     */
    static void assertRefusalsAreServiceUnavailable(Collection<Reply> replies) {
        for (Reply reply : replies) {
            if (!reply.answered() || reply.acknowledged()) {
                continue;
            }
            assertThat(reply.status()).as("status of %s", reply).isEqualTo(503);
            assertServiceUnavailableShape(reply);
        }
    }

    static void assertServiceUnavailableShape(Reply reply) {
        assertThat(reply.retryAfter()).as("Retry-After of %s", reply).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        JsonNode body = reply.json();
        if (reply.call().channel() == Call.Channel.SEQUENCE) {
            assertThat(body.path("error").path("type").asText()).as("Sequence error type of %s", reply)
                    .isEqualTo("ServiceUnavailable");
            assertThat(body.path("error").path("message").asText()).as("Sequence error message of %s", reply)
                    .isNotBlank();
        } else {
            assertThat(body.path("error").isTextual()).as("Mantle error of %s", reply).isTrue();
            assertThat(body.path("error").asText()).as("Mantle error of %s", reply).isNotBlank();
            assertThat(body.path("details").isArray()).as("Mantle details of %s", reply).isTrue();
        }
    }

    /** One line for the test log: what the traffic got. */
    static void printSummary(String what, Collection<Reply> replies) {
        System.out.printf("%s: %d calls, %d acknowledged, %d refused with 503, %d other answers, %d without an "
                + "answer%n", what, replies.size(), replies.stream().filter(Reply::acknowledged).count(),
                replies.stream().filter(r -> r.answered() && r.status() == 503).count(),
                replies.stream().filter(r -> r.answered() && !r.acknowledged() && r.status() != 503).count(),
                replies.stream().filter(r -> !r.answered()).count());
    }
}
