package dev.usageevents.rest.common;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies held in memory across all requests, against a fixed capacity: a reservation that
 * would take the total past it is refused, and the caller answers 503 instead of reading the body. Memory then
 * grows with the capacity, not with how many clients send at once.
 */
public final class BufferBudget {

    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    public BufferBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("the capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Takes {@code bytes} if they fit; false (and nothing taken) if they do not. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        long now;
        do {
            now = held.get();
            if (now + bytes > capacity) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    /** Gives back bytes taken by {@link #tryReserve}. */
    public void release(long bytes) {
        held.addAndGet(-bytes);
    }

    /** The bytes reserved now. */
    public long held() {
        return held.get();
    }

    public long capacity() {
        return capacity;
    }
}
