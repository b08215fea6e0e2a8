package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.SortOrder;
import java.util.Objects;

/**
 * A page request: the filter, the order, a page size of 1–{@value #MAX_LIMIT}, and at most one of the opaque
 * cursors {@code after} (the next page) and {@code before} (the previous page).
 */
public record EventQuery(EventFilter filter, SortOrder order, int limit, String after, String before) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public EventQuery {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(order, "order");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw InvalidInputException.of("limit", "must be between 1 and " + MAX_LIMIT + " (got " + limit + ")");
        }
        if (after != null && before != null) {
            throw InvalidInputException.of("after", "cannot be combined with before");
        }
    }
}
