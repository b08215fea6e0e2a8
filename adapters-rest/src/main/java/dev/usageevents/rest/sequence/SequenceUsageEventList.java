package dev.usageevents.rest.sequence;

import java.util.List;

/** A page of events: {@code after} / {@code before} are opaque cursors, {@code null} at either end of the list. */
public record SequenceUsageEventList(List<SequenceUsageEvent> items, Pagination pagination) {

    public record Pagination(String after, String before, long totalResultSize) {
    }
}
