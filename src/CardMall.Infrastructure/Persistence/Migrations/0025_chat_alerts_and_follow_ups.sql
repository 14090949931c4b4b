-- Live chat at scale (docs/decisions/0036).
-- Supervisors are alerted when the queue's longest wait passes the target: a chat is marked when its wait passed it,
-- once, and a new alert goes out only when no marked chat is still waiting (one alert per episode of the queue
-- being over target).
ALTER TABLE chats ADD COLUMN wait_alerted_at timestamp with time zone;

-- A chat rated 1–2 gets the same follow-up (回访) as a ticket: the task names a ticket or a chat, exactly one.
ALTER TABLE follow_up_tasks ALTER COLUMN ticket_id DROP NOT NULL;
ALTER TABLE follow_up_tasks ADD COLUMN chat_id uuid;
ALTER TABLE follow_up_tasks ADD CONSTRAINT fk_follow_up_tasks_chats_chat_id FOREIGN KEY (chat_id) REFERENCES chats (id) ON DELETE CASCADE;
ALTER TABLE follow_up_tasks ADD CONSTRAINT ck_follow_up_tasks_one_subject CHECK ((ticket_id IS NULL) <> (chat_id IS NULL));
CREATE INDEX ix_follow_up_tasks_chat_id ON follow_up_tasks (chat_id);
