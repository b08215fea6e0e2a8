package dev.usageevents.rest.mantle;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of the list, in the shape of Mantle's Core API. */
@Schema(name = "MantleEventList", description = "One page of events, newest first")
record MantleEventList(
        @Schema(required = true) List<MantleEvent> events,
        @Schema(required = true, nullable = true, description = "Pass as cursor for the next page; null on the "
                + "last") String cursor,
        @Schema(required = true) boolean hasNextPage,
        @Schema(required = true, description = "Events matching the filters") long total) {
}
