-- usage_events partitioned by event time, one partition a month (see README "Storage layout"). An insert then
-- touches the indexes of one month's partition, not of the whole history; old months leave by dropping their
-- partition (retention). Monthly partitions are created ahead of need by the service (EventPartitions); events
-- of a month without a partition (a backfill years back) go to usage_events_default.
--
-- PostgreSQL cannot enforce a unique index on a partitioned table without the partition key, so the rule "at most
-- one current event per (account, event id)" moves to a narrow table that is not partitioned: usage_event_keys
-- holds one row per key with a current version, and names that version. The writer claims a key by inserting its
-- row and moves it to a successor in the same transaction (EventBatchWriter).
--
-- Every primary key and unique index includes account_id, so that the tables can be distributed by account_id
-- (Citus); accounts and server_secrets are the exempt reference tables (SchemaDistributionRuleTest).

alter table usage_events rename to usage_events_v4;

create table usage_events (
    id            uuid        not null,
    account_id    uuid        not null,
    customer_id   text        not null,
    event_id      text        not null,
    event_name    text        not null,
    event_ts      timestamptz not null,
    properties    jsonb       not null,
    source        text        not null,
    received_at   timestamptz not null,
    superseded_by uuid,
    superseded_at timestamptz
) partition by range (event_ts);

create table usage_events_default partition of usage_events default;

-- One partition per month from the oldest stored event's month to two months ahead (month bounds in UTC).
do $$
declare
    first_month timestamp := coalesce((select date_trunc('month', min(event_ts) at time zone 'UTC') from usage_events_v4),
                                      date_trunc('month', now() at time zone 'UTC'));
    last_month  timestamp := date_trunc('month', now() at time zone 'UTC') + interval '2 months';
    month       timestamp;
begin
    if first_month > last_month then
        first_month := date_trunc('month', now() at time zone 'UTC');
    end if;
    month := first_month;
    while month <= last_month loop
        -- Only months that hold events, and the current and coming ones: no empty partitions for gaps of years.
        if month >= date_trunc('month', now() at time zone 'UTC')
                or exists (select 1 from usage_events_v4
                           where event_ts >= month at time zone 'UTC'
                             and event_ts < (month + interval '1 month') at time zone 'UTC') then
            execute format('create table %I partition of usage_events for values from (%L) to (%L)',
                           'usage_events_' || to_char(month, 'YYYY_MM'),
                           to_char(month, 'YYYY-MM-DD') || ' 00:00:00+00',
                           to_char(month + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
        end if;
        month := month + interval '1 month';
    end loop;
end $$;

insert into usage_events (id, account_id, customer_id, event_id, event_name, event_ts, properties, source,
                          received_at, superseded_by, superseded_at)
select id, account_id, customer_id, event_id, event_name, event_ts, properties, source, received_at,
       superseded_by, superseded_at
from usage_events_v4;

-- The current version of each (account, event id): the one claim that spans partitions.
create table usage_event_keys (
    account_id uuid        not null,
    event_id   text        not null,
    current_id uuid        not null,
    -- The current version's event time: its partition, and whether retention has dropped it.
    event_ts   timestamptz not null,
    primary key (account_id, event_id)
);

insert into usage_event_keys (account_id, event_id, current_id, event_ts)
select account_id, event_id, id, event_ts from usage_events_v4 where superseded_by is null;

drop table usage_events_v4;

-- ---------------------------------------------------------------------------------------------------------------
-- THE INDEXES OF usage_events, all of them. Declared on the partitioned table, each is created on every partition,
-- present and future. What each costs an insert and which query needs it: bench/RESULTS.md ("Index audit").
-- ---------------------------------------------------------------------------------------------------------------
alter table usage_events add constraint usage_events_pkey primary key (account_id, id, event_ts);
alter table usage_events add constraint usage_events_source_check check (source in ('MANTLE', 'SEQUENCE', 'GRPC'));
alter table usage_events add constraint usage_events_superseded_check
    check ((superseded_by is null) = (superseded_at is null) and superseded_by is distinct from id);
-- Keyset lists of current events, unfiltered and by customer or event name, in (timestamp, id) order.
create index usage_events_by_time on usage_events (account_id, event_ts, id) where superseded_by is null;
create index usage_events_by_customer on usage_events (account_id, customer_id, event_ts, id) where superseded_by is null;
create index usage_events_by_name on usage_events (account_id, event_name, event_ts, id) where superseded_by is null;
-- The history of one event id (every version, current or not): lists filtered by event id.
create index usage_events_history on usage_events (account_id, event_id);
-- Meter queries with asOf also read superseded versions (V5; the current ones come from usage_events_by_name and
-- usage_events_by_customer). Partial, so that an event that is never superseded costs no entry here.
create index usage_events_superseded_by_name on usage_events (account_id, event_name, event_ts)
    where superseded_by is not null;

-- Mantle customers: keys that include the account (distribution column), as every table but the reference ones.
alter table mantle_customers drop constraint mantle_customers_pkey;
alter table mantle_customers add constraint mantle_customers_pkey primary key (account_id, id);
drop index mantle_customers_token;
create unique index mantle_customers_token on mantle_customers (account_id, token_hash);
-- Its account foreign key stays within an account (a distributed table referencing a reference table).

analyze usage_events;
analyze usage_event_keys;
