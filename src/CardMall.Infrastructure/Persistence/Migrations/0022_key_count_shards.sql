-- Key counts (migration 0014) are kept in shards so that concurrent checkouts do not queue on one counter row:
-- each database session adds to the shard of its process id. With 16 shards and the 32+ pooled sessions of a
-- promotion, two sessions shared a shard and the second waited for the first one's commit on every sale
-- (bench/storefront.sh: UPDATE card_keys averaged 5 ms, most of it that wait). 256 shards make a shared shard
-- rare; readers sum at most 256 small rows per batch and state, through the primary key.

CREATE OR REPLACE FUNCTION key_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO key_counts AS c (product_id, batch_id, state, expires_at, shard, keys)
    SELECT product_id, batch_id, state, coalesce(expires_at, 'infinity'), (pg_backend_pid() % 256)::smallint, count(*)
    FROM inserted_keys GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (product_id, batch_id, state, expires_at, shard) DO UPDATE SET keys = c.keys + EXCLUDED.keys;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION key_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO key_counts AS c (product_id, batch_id, state, expires_at, shard, keys)
    SELECT product_id, batch_id, state, expires_at, (pg_backend_pid() % 256)::smallint, sum(delta)
    FROM (SELECT product_id, batch_id, state, coalesce(expires_at, 'infinity') AS expires_at, -1 AS delta FROM old_keys
          UNION ALL
          SELECT product_id, batch_id, state, coalesce(expires_at, 'infinity'), 1 FROM new_keys) moves
    GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (product_id, batch_id, state, expires_at, shard) DO UPDATE SET keys = c.keys + EXCLUDED.keys;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION key_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO key_counts AS c (product_id, batch_id, state, expires_at, shard, keys)
    SELECT product_id, batch_id, state, coalesce(expires_at, 'infinity'), (pg_backend_pid() % 256)::smallint, -count(*)
    FROM deleted_keys GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (product_id, batch_id, state, expires_at, shard) DO UPDATE SET keys = c.keys + EXCLUDED.keys;
    RETURN NULL;
END $$;
