-- 0005_adjustment_keys: a wallet adjustment's reference carries its request key, so a retried or
-- double-submitted adjustment cannot be applied twice.
CREATE UNIQUE INDEX ix_ledger_entries_user_id_reference ON ledger_entries (user_id, reference) WHERE kind = 'Adjustment';
