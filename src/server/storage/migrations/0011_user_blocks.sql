-- Blocks: a blocked user cannot open or send into the direct chat with the blocker.
CREATE TABLE user_blocks (
  blocker_id uuid NOT NULL REFERENCES users (id),
  blocked_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX user_blocks_by_blocked ON user_blocks (blocked_id);

-- Sends are refused in the insert itself, so every way in (socket, HTTP, group commit on any
-- node) obeys a block the moment it commits; the append functions need not change. An empty
-- or small table makes this one index probe per message. SQLSTATE CHB01 is read by the store
-- (storage/sql/messages.ts) and becomes SendBlocked.
CREATE FUNCTION charla_refuse_blocked_send() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (
    SELECT 1 FROM user_blocks b
      JOIN chat_members o ON o.chat_id = NEW.chat_id AND o.user_id = b.blocker_id
      JOIN chats c ON c.id = NEW.chat_id AND c.type = 'direct'
     WHERE b.blocked_id = NEW.sender_id
  ) THEN
    RAISE EXCEPTION 'blocked by the other member' USING ERRCODE = 'CHB01';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER messages_refuse_blocked_send BEFORE INSERT ON messages
  FOR EACH ROW EXECUTE FUNCTION charla_refuse_blocked_send();
