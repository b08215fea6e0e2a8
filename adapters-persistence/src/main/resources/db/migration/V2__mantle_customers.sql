-- Customers that an account's app identified (Mantle POST /v1/identify). The reference is the customer id their
-- events carry. Their API token is never stored: only the version it was derived from and its hash.
create table mantle_customers (
    id                  uuid primary key,
    account_id          uuid        not null references accounts (id),
    reference           text        not null,
    platform            text        not null,
    platform_id         text,
    myshopify_domain    text,
    name                text,
    email               text,
    platform_plan_name  text,
    custom_fields       jsonb,
    customer_created_at timestamptz,
    first_identified_at timestamptz not null,
    last_identified_at  timestamptz not null,
    token_version       integer     not null check (token_version >= 0),
    token_hash          text        not null,
    unique (account_id, reference)
);

-- A presented token is looked up by its hash; one token opens one customer.
create unique index mantle_customers_token on mantle_customers (token_hash);

-- Secrets of the service itself, generated once when not configured (e.g. the customer token key).
create table server_secrets (
    name       text primary key,
    value      text        not null,
    created_at timestamptz not null
);
