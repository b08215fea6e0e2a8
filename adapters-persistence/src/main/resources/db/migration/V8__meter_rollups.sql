-- Meter pre-aggregates (README "Inside: meters at scale"). A meter's values are folded per customer and UTC day
-- (meter_days) and, for the customers with many events in a month, per 15-minute quarter too (meter_quarters):
-- quarters align with every real time-zone offset, days and months in UTC with the common queries. A query reads
-- the pre-aggregates where they are known to be exact and the raw events elsewhere, in one snapshot:
--   * meter_months says which months of a meter are built, and for which definition (a changed definition makes
--     its months unbuilt until they are built again);
--   * meter_changes holds a row per (account, event name, quarter) that an ingest touched since the pre-aggregates
--     of that quarter were last brought up to date: with the ids of the events it added there (a new event id,
--     whose values merge into the folds), or without (a supersede: the quarter is recomputed). The writer inserts
--     them in the transaction that stores the events (a plain append: no unique key, so that concurrent writers
--     never wait on each other here), so a change that is committed is either listed here or already folded in.
--     MeterRollups consumes them.
-- Every key begins with account_id, like every other table's (distribution by account).

create table meter_changes (
    account_id uuid        not null,
    event_name text        not null,
    quarter    timestamptz not null,
    added      uuid[]
);
create index meter_changes_by_quarter on meter_changes (account_id, event_name, quarter);

create table meter_months (
    account_id      uuid        not null,
    meter_id        uuid        not null,
    month           timestamptz not null,
    definition_hash text        not null,
    built_at        timestamptz not null,
    primary key (account_id, meter_id, month)
);

-- The customers of a month whose quarters are kept (those with many events that month).
create table meter_dense (
    account_id  uuid        not null,
    meter_id    uuid        not null,
    month       timestamptz not null,
    customer_id text        not null,
    primary key (account_id, meter_id, month, customer_id)
);

-- One row per (customer, period, distinct value) for UNIQUE_COUNT meters, per (customer, period) for the others
-- (value_key ''). event_count: the events that went into the value; ignored: the matching events that did not.
-- latest: the LATEST key (timestamp, receipt, id, then the number; compared in the C collation).
create table meter_days (
    account_id  uuid        not null,
    meter_id    uuid        not null,
    customer_id text        not null,
    day         timestamptz not null,
    value_key   text        not null,
    event_count bigint      not null,
    ignored     bigint      not null,
    sum         numeric,
    min         numeric,
    max         numeric,
    latest      text collate "C",
    first_ts    timestamptz,
    last_ts     timestamptz,
    primary key (account_id, meter_id, customer_id, day, value_key)
);
create index meter_days_by_day on meter_days (account_id, meter_id, day);

create table meter_quarters (
    account_id  uuid        not null,
    meter_id    uuid        not null,
    customer_id text        not null,
    quarter     timestamptz not null,
    value_key   text        not null,
    event_count bigint      not null,
    ignored     bigint      not null,
    sum         numeric,
    min         numeric,
    max         numeric,
    latest      text collate "C",
    first_ts    timestamptz,
    last_ts     timestamptz,
    primary key (account_id, meter_id, customer_id, quarter, value_key)
);
