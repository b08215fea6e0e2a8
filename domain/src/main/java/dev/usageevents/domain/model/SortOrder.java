package dev.usageevents.domain.model;

/** Order of a list by event timestamp (then id). */
public enum SortOrder {
    ASC,
    DESC;

    public SortOrder reverse() {
        return this == ASC ? DESC : ASC;
    }
}
