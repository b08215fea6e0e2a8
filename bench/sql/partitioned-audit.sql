-- The V7 layout (monthly partitions of usage_events, usage_event_keys) at the SQL level: live inserts as the
-- writer makes them (claim the keys, insert the rows: one statement per batch of 1,000, one commit each), on an
-- empty store, then on a store of :rows events spread over 13 months (random UUIDv4 event ids, 20,000
-- customers); and, for comparison, the V4 layout (one table, the same indexes) on the same :rows.
-- Run: psql -v rows=3000000 -v batches=100 -f bench/sql/partitioned-audit.sql (see bench/RESULTS.md).
\set ON_ERROR_STOP on
drop schema if exists audit cascade;
create schema audit;
set search_path = audit;
create function v7(ts timestamptz) returns uuid language sql as $$
  select (lpad(to_hex((extract(epoch from ts) * 1000)::bigint), 12, '0') || '7'
          || substr(md5(random()::text), 1, 19))::uuid $$;
create table usage_events (
    id uuid not null, account_id uuid not null, customer_id text not null, event_id text not null,
    event_name text not null, event_ts timestamptz not null, properties jsonb not null, source text not null,
    received_at timestamptz not null, superseded_by uuid, superseded_at timestamptz) partition by range (event_ts);
create table usage_events_default partition of usage_events default;
do $$ declare m timestamp := date_trunc('month', now() at time zone 'UTC') - interval '13 months'; begin
  while m <= date_trunc('month', now() at time zone 'UTC') + interval '2 months' loop
    execute format('create table audit.%I partition of audit.usage_events for values from (%L) to (%L)',
      'usage_events_' || to_char(m, 'YYYY_MM'), to_char(m, 'YYYY-MM-DD') || ' 00:00:00+00',
      to_char(m + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
    m := m + interval '1 month';
  end loop; end $$;
create table usage_event_keys (account_id uuid not null, event_id text not null, current_id uuid not null,
    event_ts timestamptz not null, primary key (account_id, event_id));
alter table usage_events add primary key (account_id, id, event_ts);
create index on usage_events (account_id, event_ts, id) where superseded_by is null;
create index on usage_events (account_id, customer_id, event_ts, id) where superseded_by is null;
create index on usage_events (account_id, event_name, event_ts, id) where superseded_by is null;
create index on usage_events (account_id, event_id);
create procedure live(batches int, label text) language plpgsql as $$
declare started timestamptz := clock_timestamp(); elapsed float;
begin
  for b in 1..batches loop
    with rows as materialized (
      select audit.v7(clock_timestamp()) id, '00000000-0000-4000-8000-000000000001'::uuid account_id,
             'cus_' || (random() * 20000)::int customer_id, gen_random_uuid()::text event_id,
             'api_call_' || (g % 5) event_name, clock_timestamp() event_ts, g n
      from generate_series(1, 1000) g),
    claimed as (insert into audit.usage_event_keys select account_id, event_id, id, event_ts from rows order by n)
    insert into audit.usage_events
    select id, account_id, customer_id, event_id, event_name, event_ts, '{"units": 3}', 'MANTLE',
           clock_timestamp(), null, null from rows order by n;
    commit;
  end loop;
  elapsed := extract(epoch from clock_timestamp() - started);
  raise notice 'partitioned % : % events/s (% ms per 1000)', rpad(label, 34), round((batches * 1000 / elapsed)::numeric),
    round((elapsed * 1000 / batches)::numeric, 1);
end $$;
checkpoint;
call live(:batches, 'empty store');
insert into usage_events
select v7(now() - (:rows - g) * interval '1 millisecond'), '00000000-0000-4000-8000-000000000001',
       'cus_' || (random() * 20000)::int, gen_random_uuid()::text, 'api_call_' || (g % 5),
       now() - random() * interval '395 days', '{"units": 3}', 'MANTLE', now(), null, null
from generate_series(1, :rows) g;
insert into usage_event_keys select account_id, event_id, id, event_ts from usage_events on conflict do nothing;
vacuum analyze usage_events;
vacuum analyze usage_event_keys;
checkpoint;
call live(:batches, 'full store');
select pg_size_pretty(pg_total_relation_size('usage_event_keys')) keys_size,
       pg_size_pretty(pg_total_relation_size('usage_events_' || to_char(now() at time zone 'UTC', 'YYYY_MM'))) live_partition;
drop schema audit cascade;
