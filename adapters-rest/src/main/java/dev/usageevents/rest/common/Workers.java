package dev.usageevents.rest.common;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * For the ingest endpoints, which run on the event loop: work that may block (a credentials look-up the cache
 * cannot answer) or take long (parsing a large body) is done on a worker thread of Quarkus' pool instead, so that
 * health checks and small requests on the same event loop are answered meanwhile. And for a request that asks
 * several independent queries: {@link #each} runs them side by side.
 */
public final class Workers {

    /** Bodies of at least this many bytes are parsed on a worker thread: megabytes take the loop for milliseconds. */
    public static final int LARGE_BODY = 64 * 1024;

    private Workers() {
    }

    /** Runs {@code work} on a worker thread; the stage holds its result, or what it threw. */
    public static <T> CompletionStage<T> call(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, Infrastructure.getDefaultWorkerPool());
    }

    /** {@link #each(List, int, Function, Executor)} on Quarkus' worker pool. */
    public static <T, R> List<R> each(List<T> items, int lanes, Function<T, R> work) {
        return each(items, lanes, work, Infrastructure.getDefaultWorkerPool());
    }

    /**
     * {@code work} applied to every item, in up to {@code lanes} lanes at once: the calling thread and, on
     * {@code pool}, {@code lanes - 1} others; each lane takes the next item when it is done with one. Returns the
     * results in the items' order, once every item is done; throws what the work of an item threw (the first, after
     * the others are done or skipped). The caller waits only for items a lane has started: a lane that the pool does
     * not start in time finds none left, so a saturated (or refusing) pool slows the call down but never blocks it.
     */
    @SuppressWarnings("unchecked")
    public static <T, R> List<R> each(List<T> items, int lanes, Function<T, R> work, Executor pool) {
        Object[] results = new Object[items.size()];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(items.size());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable lane = () -> {
            for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        results[i] = work.apply(items.get(i));
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        };
        try {
            for (int l = 1; l < Math.min(lanes, items.size()); l++) {
                pool.execute(lane);
            }
        } catch (RejectedExecutionException full) {
            // fewer lanes: this thread takes what the others do not
        }
        lane.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the other lanes", e);
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed != null) {
            throw (Error) failed;
        }
        return (List<R>) Arrays.asList(results);
    }
}
