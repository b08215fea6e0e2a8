-- Every event row checked its account with a query of its own (and, under concurrent writers of one account,
-- shared-locked the account row through a multixact): a quarter of the cost of a batch insert. Events are only
-- ever written for an account the service has just authenticated, and accounts are never deleted, so the
-- constraint guarded nothing that can happen.
alter table usage_events drop constraint usage_events_account_id_fkey;
