package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.inject.Vetoed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Writers that die: an {@link Error} thrown by the batch writer kills the writer thread that called it. Its
 * callers get a 503-to-be (outcome unknown) at once instead of waiting forever, a new writer takes the writes
 * that wait, and writers that keep dying stop the committer and ask the process to exit.
 */
class GroupCommitterSupervisionTest {

    /** A writer that throws an Error for the first {@code failures} groups, then stores nothing and answers. */
    @Vetoed
    static final class DyingWriter extends EventBatchWriter {
        final AtomicInteger failures;
        final AtomicInteger calls = new AtomicInteger();

        DyingWriter(int failures) {
            super(null, null);
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public List<List<IngestOutcome>> write(List<WriteRequest> requests) {
            calls.incrementAndGet();
            if (failures.getAndDecrement() > 0) {
                throw new OutOfMemoryError("injected by the test");
            }
            return requests.stream().map(r -> List.<IngestOutcome>of()).toList();
        }
    }

    private static GroupCommitter committer(EventBatchWriter writer, int writers, Duration stallAfter,
            Runnable exit) {
        return new GroupCommitter(writer, 1000, Duration.ZERO, writers, Duration.ofMillis(5), 1000, stallAfter,
                new SimpleMeterRegistry(), exit);
    }

    @Test
    void aWriterKilledByAnErrorFailsItsWritesAtOnceAndIsReplaced() throws Exception {
        DyingWriter writer = new DyingWriter(1);
        CountDownLatch exited = new CountDownLatch(1);
        GroupCommitter committer = committer(writer, 1, Duration.ofSeconds(15), exited::countDown);

        CompletableFuture<List<IngestOutcome>> killed = committer.submit(GroupCommitterQueueTest.request(1));
        assertThatThrownBy(() -> killed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("may have been stored")
                .matches(e -> ((StoreUnavailableException) e).outcomeUnknown(), "outcome unknown");

        List<IngestOutcome> next = committer.submit(GroupCommitterQueueTest.request(1)).get(10, TimeUnit.SECONDS);
        assertThat(next).isEmpty();
        assertThat(writer.calls.get()).isEqualTo(2);
        assertThat(committer.progressing()).isTrue();
        assertThat(exited.getCount()).as("no exit for one death").isEqualTo(1);
    }

    @Test
    void writersThatKeepDyingStopTheCommitterWhichRefusesWritesAndAsksTheProcessToExit() throws Exception {
        DyingWriter writer = new DyingWriter(Integer.MAX_VALUE);
        CountDownLatch exited = new CountDownLatch(1);
        GroupCommitter committer = committer(writer, 2, Duration.ofSeconds(15), exited::countDown);

        for (int i = 0; i < 4; i++) {
            CompletableFuture<List<IngestOutcome>> write = committer.submit(GroupCommitterQueueTest.request(1));
            assertThatThrownBy(() -> write.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(StoreUnavailableException.class);
        }

        assertThat(exited.await(10, TimeUnit.SECONDS)).as("the process is asked to exit").isTrue();
        assertThat(committer.progressing()).as("readiness").isFalse();
        long start = System.nanoTime();
        CompletableFuture<List<IngestOutcome>> refused = committer.submit(GroupCommitterQueueTest.request(1));
        assertThatThrownBy(() -> refused.get(1, TimeUnit.SECONDS)).cause()
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("restarting");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aWriteWaitingLongerThanStallAfterMakesTheCommitPathNotProgressing() throws Exception {
        GroupCommitterQueueTest.HeldWriter writer = new GroupCommitterQueueTest.HeldWriter();
        GroupCommitter committer = committer(writer, 1, Duration.ofMillis(200), () -> { });
        try {
            assertThat(committer.progressing()).isTrue();
            committer.submit(GroupCommitterQueueTest.request(1));
            assertThat(writer.begun.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<List<IngestOutcome>> waiting = committer.submit(GroupCommitterQueueTest.request(1));
            Thread.sleep(400);
            assertThat(committer.progressing()).as("a write waits behind a stalled commit").isFalse();
            writer.release.countDown();
            waiting.get(10, TimeUnit.SECONDS);
            assertThat(committer.progressing()).isTrue();
        } finally {
            writer.release.countDown();
        }
    }
}
