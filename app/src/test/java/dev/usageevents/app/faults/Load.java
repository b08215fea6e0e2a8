package dev.usageevents.app.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Bounded traffic: a fixed number of sender threads, each sending one call at a time, until {@code maxCalls}
 * calls were made or {@link #stop()}. Every reply is recorded. A sender whose call was not acknowledged pauses
 * briefly before the next, as a client honouring {@code Retry-After} would, so that an outage is not a busy loop.
 */
final class Load implements AutoCloseable {

    private static final Duration PAUSE_AFTER_REFUSAL = Duration.ofMillis(100);

    private final ServiceClient client;
    private final IntFunction<Call> calls;
    private final int maxCalls;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Reply> replies = new ArrayList<>();
    private final List<Thread> senders = new ArrayList<>();
    private volatile Throwable failure;

    private Load(ServiceClient client, IntFunction<Call> calls, int maxCalls) {
        this.client = client;
        this.calls = calls;
        this.maxCalls = maxCalls;
    }

    /** Starts {@code senders} threads that send {@code calls.apply(0)}, {@code calls.apply(1)}, ... */
    static Load start(ServiceClient client, int senders, int maxCalls, IntFunction<Call> calls) {
        Load load = new Load(client, calls, maxCalls);
        for (int i = 0; i < senders; i++) {
            Thread thread = new Thread(load::send, "load-" + i);
            thread.setDaemon(true);
            load.senders.add(thread);
            thread.start();
        }
        return load;
    }

    private void send() {
        try {
            int i;
            while (!stopped.get() && (i = next.getAndIncrement()) < maxCalls) {
                Reply reply = client.send(calls.apply(i));
                synchronized (replies) {
                    replies.add(reply);
                }
                if (!reply.acknowledged()) {
                    Thread.sleep(PAUSE_AFTER_REFUSAL.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    /** The replies so far. */
    List<Reply> replies() {
        synchronized (replies) {
            return List.copyOf(replies);
        }
    }

    /** Waits until {@code count} replies so far match {@code condition}; fails after {@code timeout}. */
    void awaitReplies(Predicate<Reply> condition, int count, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (replies().stream().filter(condition).count() < count) {
            checkHealthy();
            if (System.nanoTime() > deadline || senders.stream().noneMatch(Thread::isAlive)) {
                throw new AssertionError("not " + count + " replies " + what + " within " + timeout
                        + "; last replies: " + tail());
            }
            Thread.sleep(50);
        }
    }

    /** Waits for every call to be made and answered. */
    List<Reply> awaitAll(Duration timeout) throws InterruptedException {
        join(timeout);
        return replies();
    }

    /** No new calls; waits for the ones in flight and returns every reply. */
    List<Reply> stop() throws InterruptedException {
        stopped.set(true);
        join(ServiceClient.REQUEST_TIMEOUT.plusSeconds(10));
        return replies();
    }

    private void join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread sender : senders) {
            sender.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (sender.isAlive()) {
                throw new AssertionError("a sender is still waiting after " + timeout);
            }
        }
        checkHealthy();
    }

    private void checkHealthy() {
        if (failure != null) {
            throw new AssertionError("a sender failed", failure);
        }
    }

    private String tail() {
        List<Reply> all = replies();
        return all.subList(Math.max(0, all.size() - 3), all.size()).toString();
    }

    @Override
    public void close() throws InterruptedException {
        stopped.set(true);
        for (Thread sender : senders) {
            sender.interrupt();
        }
    }
}
