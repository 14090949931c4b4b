-- Sign-in and registration security (issue 14, items 7 and 8).

-- Wrong passwords are counted per account *and* client address: five lock that pair for 15 minutes, so a
-- stranger cannot lock a member of staff out (issue 14, item 7). Rows for addresses that stopped trying
-- are harmless; the index lets an operator clear old ones (docs/operations.md).

CREATE TABLE sign_in_failures (
    account character varying(256) NOT NULL,
    source character varying(64) NOT NULL,
    failures integer NOT NULL,
    last_failed_at timestamp with time zone NOT NULL,
    locked_until timestamp with time zone,
    CONSTRAINT pk_sign_in_failures PRIMARY KEY (account, source)
);

CREATE INDEX ix_sign_in_failures_last_failed_at ON sign_in_failures (last_failed_at);

-- The e-mail confirmation link carries Identity's token (about 300 characters) in the notification's link.
ALTER TABLE notifications ALTER COLUMN link TYPE character varying(1000);
