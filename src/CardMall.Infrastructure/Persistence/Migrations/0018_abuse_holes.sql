-- Issue 14, smaller holes.
-- Key checks (卡密核验) are claimed in a short transaction and the supplier is asked with none open: a check
-- counts its attempts and is due again at next_attempt_at (the claim's lease, then the back-off after a failure),
-- so a check that keeps failing never stays at the head of the worker's queue.
ALTER TABLE key_verifications ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE key_verifications ALTER COLUMN attempts DROP DEFAULT;
ALTER TABLE key_verifications ADD COLUMN next_attempt_at timestamp with time zone;
UPDATE key_verifications SET next_attempt_at = requested_at;
ALTER TABLE key_verifications ALTER COLUMN next_attempt_at SET NOT NULL;

DROP INDEX ix_key_verifications_requested_at;
CREATE INDEX ix_key_verifications_next_attempt_at ON key_verifications (next_attempt_at) WHERE status = 'Pending';

-- The buyer's daily evidence quota counts their uploads of the last 24 hours.
CREATE INDEX ix_ticket_attachments_uploaded_by_created_at ON ticket_attachments (uploaded_by, created_at);
