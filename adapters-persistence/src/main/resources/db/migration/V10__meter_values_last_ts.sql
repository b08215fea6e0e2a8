-- UNIQUE_COUNT over periods that share their end reads each distinct value's last timestamp from the row of its
-- last day (the skip scan of V9), so that a day cut by a period's start needs no quarters: the index that the scan
-- walks carries that timestamp, and the scan stays an index-only one.
create index meter_days_last_by_value on meter_days (account_id, meter_id, customer_id, value_key, day)
    include (last_ts) where value_key <> '';
drop index meter_days_by_value;
