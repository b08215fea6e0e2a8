package dev.usageevents.rest.sequence;

import java.util.List;

/** A page of usage metrics, with the same pagination as a page of events. */
public record SequenceUsageMetricList(List<SequenceUsageMetric> items, SequenceUsageEventList.Pagination pagination) {
}
