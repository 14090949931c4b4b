-- An e-mail that keeps failing is given up after OutgoingEmail.MaxAttempts attempts instead of being tried
-- hourly forever; the outbox never claims it again (the notification stays in the shop's inbox).

ALTER TABLE outgoing_emails ADD COLUMN gave_up_at timestamp with time zone;

DROP INDEX ix_outgoing_emails_next_attempt_at;
CREATE INDEX ix_outgoing_emails_next_attempt_at ON outgoing_emails (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
