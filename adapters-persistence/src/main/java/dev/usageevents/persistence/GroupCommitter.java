package dev.usageevents.persistence;

import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Group commit: concurrent writes, from any channel, are coalesced into one transaction, so that many callers
 * share one commit (one WAL flush) instead of paying one each. A writer thread takes every write waiting (up to
 * {@code max-events} events; for up to {@code max-wait} more, if that is set and the group is not full), writes the
 * group with {@link EventBatchWriter}, and only after the commit answers each caller. Callers do not wait: they
 * queue a write and get a future, so no thread (an event loop least of all) is held for the commit.
 *
 * <p>Groups grow with the load: writes that arrive while a group commits wait for the next one. One group commits
 * at a time unless a quarter of a full group ({@code max-events} / 4) is waiting, or the oldest write has waited
 * {@code parallel-after}; only then does a further writer, up to {@code writers}, start a group beside it. Many
 * small groups in parallel would cost the database a commit each for the same events (single events from many
 * callers are answered faster by one writer taking what waits than by several writers gathering: bench/RESULTS.md),
 * while a group of hundreds of events pays little for its commit, so batches keep
 * several transactions busy; and a commit that stalls (a checkpoint, a lock) holds the writes behind it for
 * {@code parallel-after} at most.
 *
 * <p>When a group fails, nothing of it was committed and no caller of it is acknowledged. If the database is
 * unavailable, every caller gets the failure. Any other failure is retried request by request, so that one
 * caller's bad request does not fail the others; each caller then gets the result of its own transaction.
 *
 * <p>Writers are supervised. A writer that dies (an {@link Error} escapes a group: out of memory, a stack
 * overflow, a bug) fails the writes of its group with {@link StoreUnavailableException} (outcome unknown: the
 * group may have committed before the error), and is replaced by a new writer, so that the writes waiting are
 * taken and no caller waits forever on a writer that is gone. When writers keep dying ({@code 2 x writers} in a
 * row, no group committed in between), replacing them is not progress: the committer stops taking writes (503)
 * and asks the process to exit, crash-only, so that it restarts clean. {@link #progressing()} is false while a
 * writer is missing or the oldest waiting write has waited {@code stall-after}: readiness is then DOWN.
 */
@Singleton
public class GroupCommitter {

    private static final Logger LOG = Logger.getLogger(GroupCommitter.class);

    private final EventBatchWriter writer;
    private final int maxEvents;
    private final long maxWaitNanos;
    private final long parallelAfterNanos;
    /** Events waiting that make a group worth starting beside those committing. */
    private final int parallelEvents;
    /** At most this many events wait in {@link #queue}, so that a backlog is bounded in memory and in time. */
    private final int capacity;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Counter groups;
    private final DistributionSummary groupEvents;
    private final DistributionSummary groupRequests;
    private final Timer commitDuration;
    private final Timer ingestToCommit;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a writer may start a group ({@link #mayStartGroup()} became true). */
    private final Condition startable = lock.newCondition();
    /** Signalled when a write arrives while a writer gathers a group for {@code max-wait}. */
    private final Condition arrived = lock.newCondition();
    /** Guarded by {@link #lock}, as are the fields below. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int queuedEvents;
    /** Writers that have taken a group and not yet answered it. */
    private int writing;
    /** Whether a writer is taking a group off the queue (no other takes meanwhile). */
    private boolean gathering;
    private volatile boolean running = true;
    private volatile int waitingWrites;
    private final int writers;
    private final long stallAfterNanos;
    private final Counter writerDeaths;
    private final Runnable exit;
    /** Writers running now; guarded by {@link #lock}, as is the field below. */
    private int alive;
    /** Writers that died since the last group committed; changed under {@link #lock}, cleared by a commit. */
    private volatile int deathsInARow;
    /** Set once writers keep dying: every write is refused from then on. */
    private volatile String broken;
    private int started;

    @Inject
    GroupCommitter(EventBatchWriter writer, GroupCommitConfig config, MeterRegistry registry) {
        this(writer, config.maxEvents(), config.maxWait(), config.writers(), config.parallelAfter(),
                config.queueEvents(), config.stallAfter(), registry, () -> Quarkus.asyncExit(70));
    }

    /** {@code exit} is called once writers keep dying; the service's asks Quarkus to stop the process (status 70). */
    GroupCommitter(EventBatchWriter writer, int maxEvents, Duration maxWait, int writers, Duration parallelAfter,
            int capacity, Duration stallAfter, MeterRegistry registry, Runnable exit) {
        this.writer = writer;
        this.writers = writers;
        this.stallAfterNanos = stallAfter.toNanos();
        this.exit = exit;
        this.writerDeaths = Counter.builder("usage.commit.writer.deaths")
                .description("Group-commit writers that died (an Error escaped) and were replaced").register(registry);
        this.groups = Counter.builder("usage.commit.groups").description("Committed group transactions")
                .register(registry);
        this.groupEvents = DistributionSummary.builder("usage.commit.group.events")
                .description("Events written per group transaction").register(registry);
        this.groupRequests = DistributionSummary.builder("usage.commit.group.requests")
                .description("Callers (batches) per group transaction").register(registry);
        this.commitDuration = Timer.builder("usage.commit.duration")
                .description("Time to write and commit one group").publishPercentiles(0.5, 0.99).register(registry);
        this.ingestToCommit = Timer.builder("usage.ingest.commit.delay")
                .description("From an event's receipt to the commit of its group").publishPercentiles(0.5, 0.99)
                .register(registry);
        this.maxEvents = maxEvents;
        this.maxWaitNanos = maxWait.toNanos();
        this.parallelAfterNanos = parallelAfter.toNanos();
        this.parallelEvents = Math.max(1, maxEvents / 4);
        this.capacity = Math.max(capacity, IngestUsageEvents.MAX_BATCH_SIZE);
        Gauge.builder("usage.commit.queue", this, committer -> committer.waitingWrites)
                .description("Writes waiting for a group").register(registry);
        lock.lock();
        try {
            for (int i = 0; i < writers; i++) {
                startWriter();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Guarded by {@link #lock}: starts one more writer. */
    private void startWriter() {
        Thread thread = new Thread(this::run, "group-commit-" + started++);
        thread.setDaemon(true);
        threads.add(thread);
        alive++;
        thread.start();
    }

    private record Pending(WriteRequest request, CompletableFuture<List<IngestOutcome>> result, long queuedAt) {
        int size() {
            return request.events().size();
        }
    }

    /**
     * Queues the request for the next group, without waiting: the future completes once that group has
     * committed, or fails, and then nothing of the request is stored. A full queue (more than
     * {@code queue-events} events waiting: the database cannot keep up) or a service shutting down fails it at
     * once with {@link StoreUnavailableException}, so that callers are told to retry instead of piling up.
     */
    public CompletableFuture<List<IngestOutcome>> submit(WriteRequest request) {
        Pending pending = new Pending(request, new CompletableFuture<>(), System.nanoTime());
        StoreUnavailableException refused = null;
        lock.lock();
        try {
            if (broken != null) {
                refused = new StoreUnavailableException(broken, null);
            } else if (!running) {
                refused = new StoreUnavailableException("the service is shutting down", null);
            } else if (queuedEvents + pending.size() > capacity) {
                refused = new StoreUnavailableException(
                        "too many events are waiting for the database (more than " + capacity + ")", null);
            } else {
                queue.add(pending);
                queuedEvents += pending.size();
                waitingWrites = queue.size();
                if (gathering) {
                    arrived.signal();
                } else if (mayStartGroup()) {
                    startable.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (refused != null) {
            pending.result().completeExceptionally(refused);
        }
        return pending.result();
    }

    /**
     * Guarded by {@link #lock}: a write waits, and no group is being written, or a quarter of a full group waits,
     * or the oldest write has waited {@code parallel-after}.
     */
    private boolean mayStartGroup() {
        return !queue.isEmpty() && !gathering && (writing == 0 || queuedEvents >= parallelEvents
                || System.nanoTime() - queue.peek().queuedAt() >= parallelAfterNanos);
    }

    /** Guarded by {@link #lock}: how long an idle writer waits before it looks again (until the oldest is due). */
    private long idleNanos() {
        long idle = TimeUnit.MILLISECONDS.toNanos(100);
        if (!queue.isEmpty() && !gathering) {
            idle = Math.min(idle, queue.peek().queuedAt() + parallelAfterNanos - System.nanoTime());
        }
        return Math.max(idle, 1);
    }

    private void run() {
        List<Pending> group = null;
        try {
            while ((group = nextGroup()) != null) {
                try {
                    commit(group);
                    if (deathsInARow != 0) {
                        deathsInARow = 0;
                    }
                } catch (RuntimeException e) {
                    LOG.error("group commit failed", e);
                    group.forEach(p -> p.result().completeExceptionally(e));
                } finally {
                    finished();
                }
                group = null;
            }
            ended();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended();
        } catch (Throwable e) {
            died(group, e);
        }
    }

    /** A writer ends as it should: the committer is stopped and nothing is left to write. */
    private void ended() {
        lock.lock();
        try {
            alive--;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A writer ends on a throwable: its group's callers are told (the outcome is unknown: the error may have come
     * after the commit), and a new writer takes its place, unless writers keep dying.
     */
    private void died(List<Pending> group, Throwable e) {
        if (group != null) {
            StoreUnavailableException failure = new StoreUnavailableException(
                    "a writer of the service failed (" + e + "); the events may have been stored", e, true);
            group.forEach(p -> p.result().completeExceptionally(failure));
        }
        writerDeaths.increment();
        boolean giveUp;
        lock.lock();
        try {
            alive--;
            deathsInARow++;
            giveUp = deathsInARow >= 2 * writers;
            if (giveUp) {
                broken = "the service cannot write events (its writers keep failing) and is restarting";
            } else if (running) {
                startWriter();
            }
        } catch (Throwable cannotStart) {
            broken = "the service cannot write events (a writer could not be replaced) and is restarting";
            giveUp = true;
        } finally {
            lock.unlock();
        }
        LOG.errorf(e, "group-commit writer %s died; %s", Thread.currentThread().getName(),
                giveUp ? "writers keep dying: the process exits" : "a new writer replaces it");
        if (giveUp) {
            failWaiting(new StoreUnavailableException(broken, e));
            exit.run();
        }
    }

    /**
     * Whether the commit path can make progress: every writer is running and no write has waited
     * {@code stall-after} (or the committer is stopping). Readiness is DOWN while it is not.
     */
    public boolean progressing() {
        lock.lock();
        try {
            if (broken != null) {
                return false;
            }
            if (!running) {
                return true;
            }
            Pending oldest = queue.peek();
            return alive >= writers
                    && (oldest == null || System.nanoTime() - oldest.queuedAt() < stallAfterNanos);
        } finally {
            lock.unlock();
        }
    }

    /** The next group to write, once this writer may start one; null once stopped with nothing left to write. */
    private List<Pending> nextGroup() throws InterruptedException {
        lock.lock();
        try {
            while (!mayStartGroup()) {
                if (!running && queue.isEmpty()) {
                    return null;
                }
                startable.awaitNanos(idleNanos());
            }
            List<Pending> group = gather();
            writing++;
            if (mayStartGroup()) {
                startable.signal();
            }
            return group;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Guarded by {@link #lock}: takes the waiting writes, oldest first, up to {@code max-events} events (a write
     * is never split), then, while the group is not full and {@code max-wait} has not passed, the writes arriving.
     */
    private List<Pending> gather() throws InterruptedException {
        List<Pending> group = new ArrayList<>();
        int events = 0;
        long deadline = System.nanoTime() + maxWaitNanos;
        gathering = true;
        try {
            while (events < maxEvents) {
                Pending next = queue.peek();
                if (next == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !running) {
                        break;
                    }
                    arrived.awaitNanos(left);
                    continue;
                }
                if (!group.isEmpty() && events + next.size() > maxEvents) {
                    break;
                }
                queue.poll();
                queuedEvents -= next.size();
                group.add(next);
                events += next.size();
            }
        } finally {
            gathering = false;
            waitingWrites = queue.size();
        }
        return group;
    }

    /** A group answered. No writer is woken for the next: this one looks for it at once. */
    private void finished() {
        lock.lock();
        try {
            writing--;
        } finally {
            lock.unlock();
        }
    }

    private void commit(List<Pending> group) {
        try {
            long start = System.nanoTime();
            List<List<IngestOutcome>> outcomes = writer.write(group.stream().map(Pending::request).toList());
            commitDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            record(group);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result().complete(outcomes.get(i));
            }
        } catch (StoreUnavailableException e) {
            group.forEach(p -> p.result().completeExceptionally(e));
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).result().completeExceptionally(e);
                return;
            }
            LOG.warnf("a group of %d writes failed (%s); retrying them one by one", group.size(), e.getMessage());
            for (Pending pending : group) {
                commit(List.of(pending));
            }
        }
    }

    private void record(List<Pending> group) {
        groups.increment();
        groupRequests.record(group.size());
        groupEvents.record(group.stream().mapToInt(Pending::size).sum());
        long now = System.currentTimeMillis();
        for (Pending pending : group) {
            long received = pending.request().events().get(0).event().receivedAt().toEpochMilli();
            ingestToCommit.record(Math.max(0, now - received), TimeUnit.MILLISECONDS);
        }
    }

    /** How many groups have committed since start. */
    public long groupsCommitted() {
        return (long) groups.count();
    }

    /** On shutdown: accept nothing new, and finish every group already waiting before the database goes. */
    void drain(@Observes ShutdownEvent event) {
        stop(Duration.ofSeconds(30));
    }

    private void stop(Duration timeout) {
        lock.lock();
        try {
            running = false;
            startable.signalAll();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        failWaiting(new StoreUnavailableException("the service stopped", null));
    }

    /** Fails every write still queued. */
    private void failWaiting(StoreUnavailableException failure) {
        List<Pending> left;
        lock.lock();
        try {
            left = new ArrayList<>(queue);
            queue.clear();
            queuedEvents = 0;
            waitingWrites = 0;
        } finally {
            lock.unlock();
        }
        left.forEach(p -> p.result().completeExceptionally(failure));
    }
}
