package dev.usageevents.persistence;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A task run on a daemon thread of its own, {@code interval} after each run ends (the store's maintenance). */
final class Periodic implements AutoCloseable {

    private final ScheduledExecutorService scheduler;

    Periodic(String thread, Duration interval, Runnable task) {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread daemon = new Thread(runnable, thread);
            daemon.setDaemon(true);
            return daemon;
        });
        long every = interval.toMillis();
        scheduler.scheduleWithFixedDelay(task, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
