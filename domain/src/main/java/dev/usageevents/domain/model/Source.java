package dev.usageevents.domain.model;

/** The channel an event arrived through. */
public enum Source {
    MANTLE,
    SEQUENCE,
    GRPC
}
