package dev.usageevents.domain.port.in;

/**
 * Whether a look-up may wait for the database. An event-loop thread must never wait: it asks
 * {@link #WITHOUT_BLOCKING} and, on an empty answer, hands the request to a worker thread, which asks
 * {@link #MAY_BLOCK}. How a store answers without blocking (a recent look-up kept in memory, or all its data in
 * memory) is its own business.
 */
public enum Lookup {

    /** The full answer, from the database if need be: only on a thread that may block. */
    MAY_BLOCK,

    /**
     * Only what can be answered at once, never blocking: the same answer as {@link #MAY_BLOCK} or empty, and empty
     * means only {@link #MAY_BLOCK} can tell.
     */
    WITHOUT_BLOCKING
}
