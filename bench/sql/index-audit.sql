-- Index audit of usage_events: what each index costs an insert on a store of :rows events.
-- Loads :rows events (13 months, 20,000 customers, random UUIDv4 event ids) into a table with the primary key
-- only, then measures :batches batches of 1,000 live events (current timestamps, random UUIDv4 ids), one commit
-- each, adding the indexes of the V1 layout one at a time: the cost of an index is the difference with the step
-- before. Run: psql -v rows=2000000 -v batches=100 -f bench/sql/index-audit.sql (see bench/RESULTS.md).
\set ON_ERROR_STOP on
\timing off
drop table if exists audit_events;
create table audit_events (
    id uuid primary key, account_id uuid not null, customer_id text not null, event_id text not null,
    event_name text not null, event_ts timestamptz not null, properties jsonb not null, source text not null,
    received_at timestamptz not null, superseded_by uuid, superseded_at timestamptz);
-- A time-ordered id as the service makes them (UUIDv7: milliseconds first).
create or replace function audit_v7(ts timestamptz) returns uuid language sql as $$
  select (lpad(to_hex((extract(epoch from ts) * 1000)::bigint), 12, '0') || '7'
          || substr(md5(random()::text), 1, 19))::uuid $$;
insert into audit_events
select audit_v7(now() - (:rows - g) * interval '1 millisecond'), '00000000-0000-4000-8000-000000000001',
       'cus_' || (random() * 20000)::int, gen_random_uuid()::text, 'api_call_' || (g % 5),
       now() - random() * interval '395 days', '{"units": 3}', 'MANTLE', now(), null, null
from generate_series(1, :rows) g;
vacuum analyze audit_events;
create or replace procedure audit_insert(batches int, label text) language plpgsql as $$
declare started timestamptz := clock_timestamp(); elapsed float;
begin
  for b in 1..batches loop
    insert into audit_events
    select audit_v7(clock_timestamp()), '00000000-0000-4000-8000-000000000001', 'cus_' || (random() * 20000)::int,
           gen_random_uuid()::text, 'api_call_' || (g % 5), clock_timestamp(), '{"units": 3}', 'MANTLE',
           clock_timestamp(), null, null
    from generate_series(1, 1000) g;
    commit;
  end loop;
  elapsed := extract(epoch from clock_timestamp() - started);
  raise notice 'audit % : % events/s (% ms per 1000)', rpad(label, 40), round((batches * 1000 / elapsed)::numeric),
    round((elapsed * 1000 / batches)::numeric, 1);
end $$;
call audit_insert(:batches, 'primary key only');
create unique index audit_one_current on audit_events (account_id, event_id) where superseded_by is null;
call audit_insert(:batches, '+ one_current (account, event id)');
create index audit_history on audit_events (account_id, event_id);
call audit_insert(:batches, '+ history (account, event id)');
create index audit_by_time on audit_events (account_id, event_ts, id) where superseded_by is null;
call audit_insert(:batches, '+ by_time');
create index audit_by_customer on audit_events (account_id, customer_id, event_ts, id) where superseded_by is null;
call audit_insert(:batches, '+ by_customer');
create index audit_by_name on audit_events (account_id, event_name, event_ts, id) where superseded_by is null;
call audit_insert(:batches, '+ by_name');
drop index audit_history;
call audit_insert(:batches, 'all but history');
select pg_size_pretty(pg_relation_size(indexrelid)) as size, indexrelid::regclass as index
from pg_index where indrelid = 'audit_events'::regclass;
drop table audit_events;
