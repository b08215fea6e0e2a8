package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.inject.Vetoed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The committer's queue and writers, with writers held in their transactions (a database that does not keep up).
 * The queue is bounded by the events waiting in it, and callers never wait for room in it: a write that would take
 * it past its capacity is refused at once, and the ones queued are written once the database moves again. A
 * second group is written beside the first only once a quarter of a full group waits, or the oldest write has waited
 * {@code parallel-after} (a stalled commit holds the others that long at most); until then the writes wait together.
 */
class GroupCommitterQueueTest {

    /** A writer whose transactions last until the test lets them finish. */
    @Vetoed
    static final class HeldWriter extends EventBatchWriter {
        /** A permit for each group begun. */
        final Semaphore begun = new Semaphore(0);
        final List<Integer> groupSizes = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);

        HeldWriter() {
            super(null, null);
        }

        @Override
        public List<List<IngestOutcome>> write(List<WriteRequest> requests) {
            groupSizes.add(requests.size());
            begun.release();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return requests.stream().map(r -> List.<IngestOutcome>of()).toList();
        }
    }

    @Test
    void writesBeyondTheQueuesCapacityAreRefusedAtOnceAndTheQueuedOnesWrittenLater() throws Exception {
        HeldWriter writer = new HeldWriter();
        GroupCommitter committer = committer(writer, 1, 1, Duration.ofMinutes(1));
        try {
            CompletableFuture<List<IngestOutcome>> first = committer.submit(request(1));
            assertThat(writer.begun.tryAcquire(10, TimeUnit.SECONDS)).as("the writer holds the first write").isTrue();
            List<CompletableFuture<List<IngestOutcome>>> queued = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                queued.add(committer.submit(request(250)));
            }

            long start = System.nanoTime();
            CompletableFuture<List<IngestOutcome>> refused = committer.submit(request(1));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(refused).isCompletedExceptionally();
            assertThat(cause(refused)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("too many events are waiting");
            assertThat(first).isNotDone();
            assertThat(queued).noneMatch(CompletableFuture::isDone);

            queued.add(0, first);
            releaseAndAwait(writer, queued);
        } finally {
            writer.release.countDown();
            committer.drain(null);
        }
    }

    @Test
    void aSecondGroupIsWrittenBesideTheFirstOnlyOnceAQuarterOfAFullGroupWaits() throws Exception {
        HeldWriter writer = new HeldWriter();
        GroupCommitter committer = committer(writer, 100, 2, Duration.ofMinutes(1));
        try {
            List<CompletableFuture<List<IngestOutcome>>> writes = new ArrayList<>();
            writes.add(committer.submit(request(1)));
            assertThat(writer.begun.tryAcquire(10, TimeUnit.SECONDS)).as("the first group is being written").isTrue();
            for (int i = 0; i < 3; i++) {
                writes.add(committer.submit(request(8)));
            }
            assertThat(writer.begun.tryAcquire(500, TimeUnit.MILLISECONDS))
                    .as("a second group while 24 events (less than a quarter of a group of 100) wait").isFalse();

            writes.add(committer.submit(request(1)));
            assertThat(writer.begun.tryAcquire(10, TimeUnit.SECONDS))
                    .as("a second group once 25 events wait").isTrue();
            assertThat(writer.groupSizes).containsExactly(1, 4);
            assertThat(writes).noneMatch(CompletableFuture::isDone);

            releaseAndAwait(writer, writes);
            assertThat(writer.groupSizes).containsExactly(1, 4);
        } finally {
            writer.release.countDown();
            committer.drain(null);
        }
    }

    @Test
    void aWriteWaitingBehindAStalledGroupIsWrittenBesideItAfterParallelAfter() throws Exception {
        HeldWriter writer = new HeldWriter();
        GroupCommitter committer = committer(writer, 100, 2, Duration.ofMillis(300));
        try {
            CompletableFuture<List<IngestOutcome>> first = committer.submit(request(1));
            assertThat(writer.begun.tryAcquire(10, TimeUnit.SECONDS)).as("the first group is being written").isTrue();
            long queued = System.nanoTime();
            CompletableFuture<List<IngestOutcome>> second = committer.submit(request(1));

            assertThat(writer.begun.tryAcquire(10, TimeUnit.SECONDS)).as("a second group, in time").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - queued)).as("the second write's wait")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(writer.groupSizes).containsExactly(1, 1);

            releaseAndAwait(writer, List.of(first, second));
        } finally {
            writer.release.countDown();
            committer.drain(null);
        }
    }

    /** A committer of groups of at most {@code maxEvents} events, no gathering wait, a queue of 1000 events. */
    private static GroupCommitter committer(HeldWriter writer, int maxEvents, int writers, Duration parallelAfter) {
        return new GroupCommitter(writer, maxEvents, Duration.ZERO, writers, parallelAfter, 1000,
                Duration.ofSeconds(15), new SimpleMeterRegistry(), () -> {
                    throw new AssertionError("no writer dies in these tests");
                });
    }

    /** Lets the held transactions finish; each write must then complete. */
    private static void releaseAndAwait(HeldWriter writer, List<CompletableFuture<List<IngestOutcome>>> writes)
            throws Exception {
        writer.release.countDown();
        for (CompletableFuture<List<IngestOutcome>> write : writes) {
            write.get(10, TimeUnit.SECONDS);
        }
    }

    static WriteRequest request(int events) {
        AccountId account = new AccountId(UUID.randomUUID());
        Instant now = Instant.now();
        return new WriteRequest(account, SupersedeRule.LAST_WINS, IntStream.range(0, events)
                .mapToObj(i -> new NewEvent(new UsageEvent(UUID.randomUUID(), account, new CustomerId("c"),
                        new EventId("e" + i), new EventName("api-call"), now, EventProperties.of(Map.of()),
                        Source.GRPC, now, null, null), true))
                .toList());
    }

    private static Throwable cause(CompletableFuture<?> failed) {
        try {
            failed.get();
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
