-- After-sales portal: tickets with their SLA clock, conversation, evidence and timeline; payouts
-- (refunds and compensation) with approval; supplier cases; agents' duty and skills; reply templates;
-- supervisor follow-ups; the e-mail outbox. Orders learn how much was refunded, items what they replace.

ALTER TABLE orders ADD COLUMN refunded_amount numeric(18,2) NOT NULL DEFAULT 0;
ALTER TABLE orders ALTER COLUMN refunded_amount DROP DEFAULT;
ALTER TABLE orders ADD CONSTRAINT ck_orders_refunded CHECK (refunded_amount >= 0 AND refunded_amount <= total);

ALTER TABLE order_items ADD COLUMN replaces_item_id uuid;
ALTER TABLE order_items ADD CONSTRAINT fk_order_items_order_items_replaces_item_id
    FOREIGN KEY (replaces_item_id) REFERENCES order_items (id) ON DELETE RESTRICT;

CREATE TABLE reply_templates (
    id uuid NOT NULL,
    title character varying(100) NOT NULL,
    category character varying(24),
    body_zh character varying(4000) NOT NULL,
    body_en character varying(4000) NOT NULL,
    is_active boolean NOT NULL,
    updated_by uuid NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_reply_templates PRIMARY KEY (id)
);

CREATE TABLE sla_policies (
    priority character varying(12) NOT NULL,
    first_response_minutes integer NOT NULL,
    resolution_minutes integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    updated_by uuid,
    CONSTRAINT pk_sla_policies PRIMARY KEY (priority),
    CONSTRAINT ck_sla_policies_minutes CHECK (first_response_minutes > 0 AND resolution_minutes >= first_response_minutes)
);

CREATE TABLE agent_profiles (
    user_id uuid NOT NULL,
    on_duty boolean NOT NULL,
    skills text[] NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_agent_profiles PRIMARY KEY (user_id),
    CONSTRAINT fk_agent_profiles_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE dedicated_agents (
    buyer_id uuid NOT NULL,
    agent_id uuid NOT NULL,
    assigned_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_dedicated_agents PRIMARY KEY (buyer_id),
    CONSTRAINT fk_dedicated_agents_users_agent_id FOREIGN KEY (agent_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_dedicated_agents_users_buyer_id FOREIGN KEY (buyer_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE outgoing_emails (
    id uuid NOT NULL,
    notification_id uuid NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    attempts integer NOT NULL,
    sent_at timestamp with time zone,
    last_error character varying(500),
    CONSTRAINT pk_outgoing_emails PRIMARY KEY (id),
    CONSTRAINT fk_outgoing_emails_notifications_notification_id FOREIGN KEY (notification_id) REFERENCES notifications (id) ON DELETE CASCADE,
    CONSTRAINT fk_outgoing_emails_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE tickets (
    id uuid NOT NULL,
    no character varying(24) NOT NULL,
    buyer_id uuid NOT NULL,
    order_id uuid,
    category character varying(24) NOT NULL,
    status character varying(24) NOT NULL,
    priority character varying(12) NOT NULL,
    description character varying(4000) NOT NULL,
    device character varying(200),
    channel character varying(12) NOT NULL,
    is_bulk boolean NOT NULL,
    assignee_id uuid,
    responsibility character varying(12),
    root_cause character varying(32),
    resolution character varying(24),
    resolution_note character varying(1000),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    first_response_target_minutes integer NOT NULL,
    resolution_target_minutes integer NOT NULL,
    first_response_due_at timestamp with time zone NOT NULL,
    resolution_due_at timestamp with time zone NOT NULL,
    first_responded_at timestamp with time zone,
    resolved_at timestamp with time zone,
    closed_at timestamp with time zone,
    paused_since timestamp with time zone,
    paused_seconds bigint NOT NULL,
    first_response_warned_at timestamp with time zone,
    resolution_warned_at timestamp with time zone,
    first_response_breached_at timestamp with time zone,
    resolution_breached_at timestamp with time zone,
    is_breached boolean NOT NULL,
    urge_count integer NOT NULL,
    last_urged_at timestamp with time zone,
    reopen_count integer NOT NULL,
    rating integer,
    rating_comment character varying(1000),
    rated_at timestamp with time zone,
    check_in_sent_at timestamp with time zone,
    CONSTRAINT pk_tickets PRIMARY KEY (id),
    CONSTRAINT ck_tickets_rating CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    CONSTRAINT ck_tickets_targets CHECK (first_response_target_minutes > 0 AND resolution_target_minutes > 0 AND paused_seconds >= 0),
    CONSTRAINT fk_tickets_orders_order_id FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT,
    CONSTRAINT fk_tickets_users_assignee_id FOREIGN KEY (assignee_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_tickets_users_buyer_id FOREIGN KEY (buyer_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE TABLE follow_up_tasks (
    id uuid NOT NULL,
    ticket_id uuid NOT NULL,
    reason character varying(32) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    done_at timestamp with time zone,
    done_by uuid,
    note character varying(1000),
    CONSTRAINT pk_follow_up_tasks PRIMARY KEY (id),
    CONSTRAINT fk_follow_up_tasks_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);

CREATE TABLE payouts (
    id uuid NOT NULL,
    ticket_id uuid NOT NULL,
    order_id uuid,
    kind character varying(16) NOT NULL,
    amount numeric(18,2) NOT NULL,
    reason character varying(500) NOT NULL,
    status character varying(12) NOT NULL,
    requested_by uuid NOT NULL,
    request_key character varying(64) NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    decided_by uuid,
    decided_at timestamp with time zone,
    decision_note character varying(500),
    CONSTRAINT pk_payouts PRIMARY KEY (id),
    CONSTRAINT ck_payouts_amount CHECK (amount > 0),
    CONSTRAINT fk_payouts_orders_order_id FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT,
    CONSTRAINT fk_payouts_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE RESTRICT
);

CREATE TABLE supplier_cases (
    id uuid NOT NULL,
    ticket_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    question character varying(2000) NOT NULL,
    opened_by uuid NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    due_at timestamp with time zone NOT NULL,
    reply character varying(2000),
    replied_at timestamp with time zone,
    recorded_by uuid,
    CONSTRAINT pk_supplier_cases PRIMARY KEY (id),
    CONSTRAINT fk_supplier_cases_suppliers_supplier_id FOREIGN KEY (supplier_id) REFERENCES suppliers (id) ON DELETE RESTRICT,
    CONSTRAINT fk_supplier_cases_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE RESTRICT
);

CREATE TABLE ticket_events (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    ticket_id uuid NOT NULL,
    kind character varying(32) NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_id uuid,
    detail character varying(500),
    is_public boolean NOT NULL,
    CONSTRAINT pk_ticket_events PRIMARY KEY (id),
    CONSTRAINT fk_ticket_events_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);

CREATE TABLE ticket_messages (
    id uuid NOT NULL,
    ticket_id uuid NOT NULL,
    author character varying(8) NOT NULL,
    author_id uuid,
    body character varying(8000) NOT NULL,
    is_internal boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_ticket_messages PRIMARY KEY (id),
    CONSTRAINT fk_ticket_messages_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);

CREATE TABLE ticket_items (
    ticket_id uuid NOT NULL,
    order_item_id uuid NOT NULL,
    order_id uuid NOT NULL,
    CONSTRAINT pk_ticket_items PRIMARY KEY (ticket_id, order_item_id),
    CONSTRAINT fk_ticket_items_order_items_order_item_id FOREIGN KEY (order_item_id) REFERENCES order_items (id) ON DELETE RESTRICT,
    CONSTRAINT fk_ticket_items_orders_order_id FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT,
    CONSTRAINT fk_ticket_items_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);

CREATE TABLE ticket_attachments (
    id uuid NOT NULL,
    ticket_id uuid NOT NULL,
    message_id uuid,
    file_name character varying(200) NOT NULL,
    content_type character varying(32) NOT NULL,
    size_bytes integer NOT NULL,
    content bytea NOT NULL,
    uploaded_by uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_ticket_attachments PRIMARY KEY (id),
    CONSTRAINT ck_ticket_attachments_size CHECK (size_bytes > 0 AND size_bytes <= 5242880),
    CONSTRAINT fk_ticket_attachments_ticket_messages_message_id FOREIGN KEY (message_id) REFERENCES ticket_messages (id) ON DELETE RESTRICT,
    CONSTRAINT fk_ticket_attachments_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);

CREATE INDEX ix_dedicated_agents_agent_id ON dedicated_agents (agent_id);

CREATE INDEX ix_follow_up_tasks_ticket_id ON follow_up_tasks (ticket_id);

CREATE INDEX ix_order_items_replaces_item_id ON order_items (replaces_item_id);

CREATE INDEX ix_outgoing_emails_next_attempt_at ON outgoing_emails (next_attempt_at) WHERE sent_at IS NULL;

CREATE INDEX ix_outgoing_emails_notification_id ON outgoing_emails (notification_id);

CREATE INDEX ix_outgoing_emails_user_id ON outgoing_emails (user_id);

CREATE INDEX ix_payouts_order_id ON payouts (order_id);

CREATE INDEX ix_payouts_status ON payouts (status) WHERE status = 'Pending';

CREATE UNIQUE INDEX ix_payouts_ticket_id_request_key ON payouts (ticket_id, request_key);

CREATE INDEX ix_supplier_cases_supplier_id_opened_at ON supplier_cases (supplier_id, opened_at);

CREATE INDEX ix_supplier_cases_ticket_id ON supplier_cases (ticket_id);

CREATE INDEX ix_ticket_attachments_message_id ON ticket_attachments (message_id);

CREATE INDEX ix_ticket_attachments_ticket_id ON ticket_attachments (ticket_id);

CREATE INDEX ix_ticket_events_ticket_id_id ON ticket_events (ticket_id, id);

CREATE INDEX ix_ticket_items_order_id ON ticket_items (order_id);

CREATE INDEX ix_ticket_items_order_item_id ON ticket_items (order_item_id);

CREATE INDEX ix_ticket_messages_ticket_id_created_at ON ticket_messages (ticket_id, created_at);

CREATE INDEX ix_tickets_assignee_id_status ON tickets (assignee_id, status);

CREATE INDEX ix_tickets_buyer_id_created_at ON tickets (buyer_id, created_at);

CREATE UNIQUE INDEX ix_tickets_no ON tickets (no);

CREATE INDEX ix_tickets_order_id ON tickets (order_id);

CREATE INDEX ix_tickets_status_resolution_due_at ON tickets (status, resolution_due_at);

-- Default SLA targets (product.md): Urgent 15 min / 4 h, High 1 h / 24 h, Normal 4 h / 48 h, Low 24 h / 72 h.
INSERT INTO sla_policies (priority, first_response_minutes, resolution_minutes, updated_at, updated_by) VALUES
    ('Urgent', 15, 240, now(), NULL),
    ('High', 60, 1440, now(), NULL),
    ('Normal', 240, 2880, now(), NULL),
    ('Low', 1440, 4320, now(), NULL);
