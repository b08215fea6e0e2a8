-- UNIQUE_COUNT over periods that share their end (Mantle's rolling values) reads, per distinct value, only its last
-- day in the periods, instead of every (day, value) row: this index lists a customer's values in order (a skip
-- scan finds each), then each value's days (a backward probe finds its last). Only UNIQUE_COUNT meters have rows
-- with a value_key.
create index meter_days_by_value on meter_days (account_id, meter_id, customer_id, value_key, day)
    where value_key <> '';
