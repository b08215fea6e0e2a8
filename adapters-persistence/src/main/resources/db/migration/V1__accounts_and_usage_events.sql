-- Tenants and the hashes of their credentials (secrets are never stored).
create table accounts (
    id                   uuid primary key,
    name                 text        not null,
    created_at           timestamptz not null,
    sequence_client_id   text        not null unique,
    sequence_secret_hash text        not null,
    mantle_app_id        text        not null unique,
    mantle_api_key_hash  text        not null
);

-- Every version of every event. A version is current while superseded_by is null.
create table usage_events (
    id            uuid primary key,
    account_id    uuid        not null references accounts (id),
    customer_id   text        not null,
    event_id      text        not null,
    event_name    text        not null,
    event_ts      timestamptz not null,
    properties    jsonb       not null,
    source        text        not null check (source in ('MANTLE', 'SEQUENCE', 'GRPC')),
    received_at   timestamptz not null,
    -- The successor is inserted in the same transaction, after its predecessor is marked: check at commit.
    superseded_by uuid references usage_events (id) deferrable initially deferred,
    superseded_at timestamptz,
    check ((superseded_by is null) = (superseded_at is null)),
    check (superseded_by is distinct from id)
);

-- The database guarantees the first supersede rule: at most one current event per (account, event id).
create unique index usage_events_one_current on usage_events (account_id, event_id) where superseded_by is null;

-- Keyset lists of current events, unfiltered and by customer or event name, in (timestamp, id) order.
create index usage_events_by_time on usage_events (account_id, event_ts, id) where superseded_by is null;
create index usage_events_by_customer on usage_events (account_id, customer_id, event_ts, id) where superseded_by is null;
create index usage_events_by_name on usage_events (account_id, event_name, event_ts, id) where superseded_by is null;

-- The history of one event id (every version, current or not).
create index usage_events_history on usage_events (account_id, event_id);
