-- What an account counts (usage meters). Like every table, its primary key and unique indexes begin with
-- account_id, and nothing refers across accounts, so that the schema can be distributed by account.
-- Property paths are stored dot-separated (a segment never holds a dot); filters as {"path": ["text", ...]}.
create table meters (
    account_id           uuid        not null,
    id                   uuid        not null,
    name                 text        not null,
    event_name           text        not null,
    aggregation          text        not null
        check (aggregation in ('COUNT', 'SUM', 'UNIQUE_COUNT', 'MIN', 'MAX', 'AVG', 'LATEST')),
    value_property       text,
    property_filters     jsonb       not null,
    properties_to_negate text[]      not null,
    case_sensitive       boolean     not null,
    unit                 text,
    description          text,
    created_at           timestamptz not null,
    deleted_at           timestamptz,
    primary key (account_id, id),
    check ((aggregation = 'COUNT') = (value_property is null))
);

-- Names are unique among an account's live meters; a deleted meter frees its name.
create unique index meters_live_name on meters (account_id, name) where deleted_at is null;

-- Meter queries with asOf also read superseded versions (the current ones come from usage_events_by_name and
-- usage_events_by_customer). Partial, so that an event that is never superseded costs no entry here.
create index usage_events_superseded_by_name on usage_events (account_id, event_name, event_ts)
    where superseded_by is not null;
