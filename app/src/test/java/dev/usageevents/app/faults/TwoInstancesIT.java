package dev.usageevents.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.faults.StoredEvents.Row;
import dev.usageevents.app.process.AppProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the service on one PostgreSQL, each test in an account of its own: the supersede rules hold
 * across instances, because the database (advisory locks, the partial unique index), not a JVM, arbitrates.
 */
class TwoInstancesIT {

    private static final int SENDERS = 16;

    private static TestDatabase database;
    private static ServiceClient client;
    private static final List<AppProcess> instances = new ArrayList<>();

    @BeforeAll
    static void startTwoInstances() throws Exception {
        database = TestDatabase.start();
        client = new ServiceClient();
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            List<Future<AppProcess>> starting = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                starting.add(starter.submit(() -> AppProcess.start(database.jdbcUrl(), database.user(), Map.of())));
            }
            ExecutionException failure = null;
            for (Future<AppProcess> instance : starting) {
                try {
                    instances.add(instance.get());
                } catch (ExecutionException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            starter.shutdown();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AppProcess instance : instances) {
            instance.close();
        }
        if (client != null) {
            client.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static List<String> baseUrls() {
        return instances.stream().map(AppProcess::baseUrl).toList();
    }

    @Test
    void aThousandConcurrentSupersedesOfOneEventIdEndInOneCurrentEventAndOneChain() throws Exception {
        Account account = client.createAccount(instances.get(0).baseUrl(), "Contested");
        String eventId = "contested";
        List<String> urls = baseUrls();
        List<Reply> replies;
        try (Load load = Load.start(client, SENDERS, 1000,
                i -> Call.sequenceCreate(urls.get(i % 2), account, eventId, i))) {
            replies = load.awaitAll(Duration.ofSeconds(120));
        }

        assertThat(replies).hasSize(1000).allSatisfy(r -> assertThat(r.status()).as("%s", r).isEqualTo(201));
        Set<UUID> acknowledged = new HashSet<>();
        replies.forEach(r -> acknowledged.add(r.sequenceId()));
        assertThat(acknowledged).as("distinct versions acknowledged").hasSize(1000);

        StoredEvents stored = StoredEvents.of(database, account);
        List<Row> chain = stored.assertOneChain(eventId);
        assertThat(chain).as("versions of %s", eventId).hasSize(1000);
        assertThat(chain.stream().map(Row::id).toList()).as("the chain holds every acknowledged version")
                .containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(stored.size()).as("rows of the account").isEqualTo(1000);
        assertOneCurrentThroughEachInstance(account, eventId, chain.get(chain.size() - 1).id());
        System.out.printf("1000 supersedes across two instances: one chain of %d versions%n", chain.size());
    }

    /**
     * Eleven event ids, each sent 60 times with distinct content, all at once through both instances, from
     * Sequence (last wins) and Mantle (first wins) in proportions from all-Sequence to all-Mantle.
     */
    @Test
    void mixedFirstWinsAndLastWinsTrafficOnOneEventIdEndsInOneCurrentEventAndOneChain() throws Exception {
        Account account = client.createAccount(instances.get(0).baseUrl(), "Mixed");
        List<String> urls = baseUrls();
        int perEvent = 60;
        List<Call> calls = new ArrayList<>();
        Random random = new Random(8);
        for (int k = 0; k <= 10; k++) {
            List<Call> block = new ArrayList<>();
            for (int j = 0; j < perEvent; j++) {
                int n = calls.size() + j;
                String url = urls.get(n % 2);
                String eventId = "mixed-" + k;
                block.add(j % 10 < k ? Call.mantleSend(url, account, List.of(eventId), n)
                        : Call.sequenceCreate(url, account, eventId, n));
            }
            Collections.shuffle(block, random);
            calls.addAll(block);
        }
        List<Reply> replies;
        try (Load load = Load.start(client, SENDERS, calls.size(), calls::get)) {
            replies = load.awaitAll(Duration.ofSeconds(120));
        }
        assertThat(replies).hasSize(calls.size()).allSatisfy(r -> assertThat(r.acknowledged()).as("%s", r).isTrue());

        StoredEvents stored = StoredEvents.of(database, account);
        for (int k = 0; k <= 10; k++) {
            String eventId = "mixed-" + k;
            List<Reply> mine = replies.stream().filter(r -> r.call().eventIds().get(0).equals(eventId)).toList();
            List<Reply> sequence = mine.stream().filter(r -> r.call().channel() == Call.Channel.SEQUENCE).toList();
            List<Row> chain = stored.assertOneChain(eventId);
            List<Row> mantleVersions = chain.stream().filter(row -> row.source().equals("MANTLE")).toList();
            assertThat(mantleVersions).as("versions of %s created by Mantle (first wins)", eventId).hasSizeLessThan(2);
            if (!mantleVersions.isEmpty()) {
                assertThat(chain.get(0)).as("the Mantle version of %s is the first", eventId)
                        .isEqualTo(mantleVersions.get(0));
            }
            assertThat(chain).as("versions of %s: one per Sequence call, and Mantle's first if it came first",
                    eventId).hasSize(sequence.size() + mantleVersions.size());
            assertThat(chain.stream().map(Row::id).toList()).as("the chain of %s holds every Sequence version",
                    eventId).containsAll(sequence.stream().map(Reply::sequenceId).toList());
            if (sequence.isEmpty()) {
                assertThat(chain).as("versions of %s, sent by Mantle only", eventId).hasSize(1);
            }
            assertOneCurrentThroughEachInstance(account, eventId, chain.get(chain.size() - 1).id());
        }
        assertThat(stored.size()).as("rows of the account")
                .isEqualTo(replies.stream().filter(r -> r.call().channel() == Call.Channel.SEQUENCE).count()
                        + stored.versionsBy("MANTLE"));
    }

    /**
     * Read your writes across instances: a meter asked on one instance counts the event the other has just
     * acknowledged, whether its quarter is still logged (read raw) or already folded into the pre-aggregates (each
     * instance folds every second; some steps wait for that).
     */
    @Test
    void aMeterOnOneInstanceCountsWhatTheOtherHasJustAcknowledged() throws Exception {
        List<String> urls = baseUrls();
        Account account = client.createAccount(urls.get(0), "Meters");
        Reply meter = client.send(Call.sequenceCreateMeter(urls.get(0), account, "{\"name\":\"n\",\"metricType\":"
                + "\"SIMPLE\",\"eventType\":\"" + Call.EVENT_TYPE + "\",\"aggregationType\":\"SUM\","
                + "\"aggregationProperty\":\"n\"}"));
        assertThat(meter.status()).as("%s", meter).isEqualTo(201);
        String meterId = meter.json().path("id").asText();
        String day = Call.TIMESTAMP.substring(0, 10);
        long expected = 0;
        for (int i = 1; i <= 30; i++) {
            Reply sent = client.send(Call.sequenceCreate(urls.get(i % 2), account, "read-your-writes-" + i, i));
            assertThat(sent.status()).as("%s", sent).isEqualTo(201);
            expected += i;
            Reply value = client.send(Call.sequenceCalculate(urls.get((i + 1) % 2), account, meterId,
                    "customerAliases=" + Call.CUSTOMER + "&periodStart=" + day + "&periodEnd=" + day));
            assertThat(value.status()).as("%s", value).isEqualTo(200);
            assertThat(value.json().path("value").asLong()).as("step %d: %s", i, value).isEqualTo(expected);
            assertThat(value.json().path("eventCount").asLong()).as("step %d: %s", i, value).isEqualTo(i);
            if (i % 5 == 0) {
                Thread.sleep(1_500);
            }
        }
    }

    /** Each instance lists exactly one current event for the event id: the one at the end of the chain. */
    private static void assertOneCurrentThroughEachInstance(Account account, String eventId, UUID current)
            throws InterruptedException {
        for (String url : baseUrls()) {
            Reply list = client.send(Call.sequenceListByEventId(url, account, eventId));
            assertThat(list.status()).as("%s", list).isEqualTo(200);
            assertThat(list.json().path("pagination").path("totalResultSize").asLong()).as("%s", list).isEqualTo(1);
            assertThat(list.json().path("items").get(0).path("id").asText()).as("%s", list)
                    .isEqualTo(current.toString());
        }
    }
}
