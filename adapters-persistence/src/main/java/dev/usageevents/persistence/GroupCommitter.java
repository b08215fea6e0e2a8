package dev.usageevents.persistence;

import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Group commit: concurrent writes, from any channel, are coalesced into one transaction, so that many callers
 * share one commit (one WAL flush) instead of paying one each. A writer thread takes the first waiting request,
 * gathers more until the group holds {@code max-events} events or {@code max-wait} has passed, writes the group
 * with {@link EventBatchWriter}, and only after the commit answers each caller. Callers do not wait: they queue a
 * write and get a future, so no thread (an event loop least of all) is held for the commit.
 *
 * <p>When a group fails, nothing of it was committed and no caller of it is acknowledged. If the database is
 * unavailable, every caller gets the failure. Any other failure is retried request by request, so that one
 * caller's bad request does not fail the others; each caller then gets the result of its own transaction.
 */
@Singleton
public class GroupCommitter {

    private static final Logger LOG = Logger.getLogger(GroupCommitter.class);

    private final EventBatchWriter writer;
    private final int maxEvents;
    private final long maxWaitNanos;
    private final BlockingQueue<Pending> queue;
    /** At most this many events wait in {@link #queue}, so that a backlog is bounded in memory and in time. */
    private final int capacity;
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Counter groups;
    private final DistributionSummary groupEvents;
    private final DistributionSummary groupRequests;
    private final Timer commitDuration;
    private final Timer ingestToCommit;

    GroupCommitter(EventBatchWriter writer,
            @ConfigProperty(name = "usage.group-commit.max-events", defaultValue = "1000") int maxEvents,
            @ConfigProperty(name = "usage.group-commit.max-wait", defaultValue = "PT0.002S") Duration maxWait,
            @ConfigProperty(name = "usage.group-commit.writers", defaultValue = "4") int writers,
            @ConfigProperty(name = "usage.group-commit.queue-events", defaultValue = "20000") int capacity,
            MeterRegistry registry) {
        this.writer = writer;
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
        this.queue = new LinkedBlockingQueue<>();
        this.capacity = Math.max(capacity, IngestUsageEvents.MAX_BATCH_SIZE);
        Gauge.builder("usage.commit.queue", queue, BlockingQueue::size)
                .description("Writes waiting for a group").register(registry);
        for (int i = 0; i < writers; i++) {
            Thread thread = new Thread(this::run, "group-commit-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    private record Pending(WriteRequest request, CompletableFuture<List<IngestOutcome>> result) {
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
        Pending pending = new Pending(request, new CompletableFuture<>());
        if (!running.get()) {
            pending.result().completeExceptionally(
                    new StoreUnavailableException("the service is shutting down", null));
        } else if (queuedEvents.addAndGet(pending.size()) > capacity) {
            queuedEvents.addAndGet(-pending.size());
            pending.result().completeExceptionally(new StoreUnavailableException(
                    "too many events are waiting for the database (more than " + capacity + ")", null));
        } else {
            queue.add(pending);
        }
        return pending.result();
    }

    private void run() {
        while (running.get() || !queue.isEmpty()) {
            try {
                Pending first = take(queue.poll(100, TimeUnit.MILLISECONDS));
                if (first != null) {
                    commit(gather(first));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("group commit loop failed", e);
            }
        }
    }

    /** A write taken off the queue no longer counts against its capacity. */
    private Pending take(Pending pending) {
        if (pending != null) {
            queuedEvents.addAndGet(-pending.size());
        }
        return pending;
    }

    private List<Pending> gather(Pending first) throws InterruptedException {
        List<Pending> group = new ArrayList<>();
        group.add(first);
        int events = first.size();
        long deadline = System.nanoTime() + maxWaitNanos;
        while (events < maxEvents) {
            Pending next = queue.peek();
            if (next != null && events + next.size() > maxEvents) {
                break;
            }
            long left = deadline - System.nanoTime();
            next = take(left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll());
            if (next == null) {
                break;
            }
            group.add(next);
            events += next.size();
        }
        return group;
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
        running.set(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new StoreUnavailableException("the service stopped", null));
        }
    }
}
