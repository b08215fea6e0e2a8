package dev.usageevents.domain.model.meter;

/** The windows a meter query cuts its period into, in the query's time zone (WEEK: ISO weeks, from Monday). */
public enum WindowSize {
    MINUTE, HOUR, DAY, WEEK, MONTH
}
