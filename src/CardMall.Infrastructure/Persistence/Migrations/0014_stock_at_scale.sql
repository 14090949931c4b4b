-- Issue 13: checkout and the catalogue cost the same with 1,000 and with 1,000,000 keys in stock.
--
-- 1. Allocation takes its keys through an index in the order it needs. Checkout asks for a product's
--    available keys, soonest expiry first (then those that never expire), and locks the first few it can
--    (FOR UPDATE SKIP LOCKED). The old (product_id, state, expires_at) index did not cover the id tiebreak,
--    so every checkout sorted all of the product's available keys (216 ms and 45 MB spilled to disk at
--    200,000 keys). This partial index holds only available keys, in exactly the order allocation reads
--    them, so a checkout touches only the rows it takes. The old index served nothing else.
CREATE INDEX ix_card_keys_sellable ON card_keys (product_id, expires_at, id) WHERE state = 'Available';
DROP INDEX ix_card_keys_product_id_state_expires_at;

-- Sold keys leave the front of that index as dead entries until VACUUM removes them; allocation steps over
-- them. Vacuum the table after 1 % of it changed rather than the default 20 % so they never pile up.
ALTER TABLE card_keys SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 2000,
                           autovacuum_analyze_scale_factor = 0.02);

-- 2. Key counts kept by the database itself, so no page or API call counts keys. Every change of a key's
--    state (import, sale, freeze, void, redemption, removal) adjusts the count of its product, batch, state
--    and expiry in the same transaction, from the statement's transition tables — exact at every commit.
--    A hot product's counts are split over 16 rows (by server process), so concurrent checkouts do not
--    queue on one counter row; readers add the rows up. Keys that never expire are counted under
--    'infinity', so "sellable now" is one range condition: state 'Available' and expires_at > now.
--    Derived data written only by these triggers, like the dashboard rollups: not part of the EF model.
CREATE TABLE key_counts (
    product_id uuid NOT NULL,
    batch_id uuid NOT NULL,
    state character varying(16) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    shard smallint NOT NULL,
    keys integer NOT NULL,
    CONSTRAINT pk_key_counts PRIMARY KEY (product_id, batch_id, state, expires_at, shard)
) WITH (fillfactor = 50);

INSERT INTO key_counts (product_id, batch_id, state, expires_at, shard, keys)
SELECT product_id, batch_id, state, coalesce(expires_at, 'infinity'), 0, count(*)
FROM card_keys GROUP BY 1, 2, 3, 4;

-- Rows are locked in key order, the same in every statement, so two statements never wait on each other
-- in a circle.
CREATE FUNCTION key_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO key_counts AS c (product_id, batch_id, state, expires_at, shard, keys)
    SELECT product_id, batch_id, state, coalesce(expires_at, 'infinity'), (pg_backend_pid() % 16)::smallint, count(*)
    FROM inserted_keys GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (product_id, batch_id, state, expires_at, shard) DO UPDATE SET keys = c.keys + EXCLUDED.keys;
    RETURN NULL;
END $$;

CREATE FUNCTION key_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO key_counts AS c (product_id, batch_id, state, expires_at, shard, keys)
    SELECT product_id, batch_id, state, expires_at, (pg_backend_pid() % 16)::smallint, sum(delta)
    FROM (SELECT product_id, batch_id, state, coalesce(expires_at, 'infinity') AS expires_at, -1 AS delta FROM old_keys
          UNION ALL
          SELECT product_id, batch_id, state, coalesce(expires_at, 'infinity'), 1 FROM new_keys) moves
    GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (product_id, batch_id, state, expires_at, shard) DO UPDATE SET keys = c.keys + EXCLUDED.keys;
    RETURN NULL;
END $$;

CREATE FUNCTION key_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO key_counts AS c (product_id, batch_id, state, expires_at, shard, keys)
    SELECT product_id, batch_id, state, coalesce(expires_at, 'infinity'), (pg_backend_pid() % 16)::smallint, -count(*)
    FROM deleted_keys GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (product_id, batch_id, state, expires_at, shard) DO UPDATE SET keys = c.keys + EXCLUDED.keys;
    RETURN NULL;
END $$;

CREATE TRIGGER tr_card_keys_count_insert AFTER INSERT ON card_keys
    REFERENCING NEW TABLE AS inserted_keys FOR EACH STATEMENT EXECUTE FUNCTION key_counts_on_insert();
CREATE TRIGGER tr_card_keys_count_update AFTER UPDATE ON card_keys
    REFERENCING OLD TABLE AS old_keys NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION key_counts_on_update();
CREATE TRIGGER tr_card_keys_count_delete AFTER DELETE ON card_keys
    REFERENCING OLD TABLE AS deleted_keys FOR EACH STATEMENT EXECUTE FUNCTION key_counts_on_delete();

-- 3. A buyer's order count, kept on the wallet that pays for the orders: the thank-you note on every fifth
--    order no longer counts the buyer's orders at checkout (a reseller's hundred-thousandth order would
--    otherwise cost more than the first).
ALTER TABLE wallets ADD COLUMN purchases integer NOT NULL DEFAULT 0;
UPDATE wallets w SET purchases = (SELECT count(*) FROM orders o WHERE o.user_id = w.user_id);
