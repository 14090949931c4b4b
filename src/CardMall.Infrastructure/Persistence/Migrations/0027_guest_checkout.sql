-- Guest checkout (docs/decisions/0039): a visitor buys without an account. Each guest order gets an account of its
-- own (users.is_guest: no password, no normalised e-mail, so no sign-in form or registration finds it), and the
-- order keeps the contact e-mail, the lookup password's hash and the address the checkout came from.
ALTER TABLE users ADD COLUMN is_guest boolean NOT NULL DEFAULT false;
ALTER TABLE users ALTER COLUMN is_guest DROP DEFAULT;
ALTER TABLE orders ADD COLUMN guest_email character varying(256);
ALTER TABLE orders ADD COLUMN lookup_password_hash character varying(200);
ALTER TABLE orders ADD COLUMN guest_address character varying(64);
-- The lookup page finds a guest's orders by e-mail; checkout counts what an e-mail or address still has awaiting payment.
CREATE INDEX ix_orders_guest_email ON orders (guest_email, created_at) WHERE guest_email IS NOT NULL;
CREATE INDEX ix_orders_guest_address_awaiting ON orders (guest_address) WHERE guest_address IS NOT NULL AND status = 'AwaitingPayment';
