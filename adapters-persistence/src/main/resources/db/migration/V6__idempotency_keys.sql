-- Idempotency-Key of Sequence creates: a key stands for its first request for 24 hours, per account. The primary
-- key is the arbiter between instances: of concurrent claims of one key, one inserts the row and the others get
-- it. event_id is the event id the request's event is stored under (given to the key when the request named
-- none); stored_id the event that answered it, once recorded. No foreign key: events and accounts are arbitrated
-- by their own tables, and a row is only ever read by its own account.
create table idempotency_keys (
    account_id      uuid        not null,
    idempotency_key text        not null,
    request_digest  bytea       not null,
    event_id        text        not null,
    stored_id       uuid,
    created_at      timestamptz not null,
    primary key (account_id, idempotency_key)
);

-- Expired keys are deleted in created_at order.
create index idempotency_keys_by_age on idempotency_keys (created_at);
