-- Attachments (v2): uploaded files, attached once to one message. What a message shows of its
-- attachments lives in its own row (messages.attachments, like reactions), so every read
-- (history, sync, the chat list, acknowledgements) returns them with no join; the signed
-- URLs are added when the row is read.
CREATE TABLE attachments (
  id uuid PRIMARY KEY,
  owner_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL,
  content_type text NOT NULL,
  size bigint NOT NULL DEFAULT 0,
  width integer,
  height integer,
  has_thumbnail boolean NOT NULL DEFAULT false,
  -- false while the bytes are being written: not attachable, not served.
  ready boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set once, by the send that attaches it.
  message_id uuid,
  chat_id uuid,
  -- Set when its message is deleted (or its row goes with its chat): the sweep removes it.
  doomed_at timestamptz,
  -- The sweep's claim: one node removes the bytes; a claim older than a few minutes (a node
  -- that died half-way) may be taken again.
  sweep_claimed_at timestamptz
);
CREATE INDEX attachments_by_message ON attachments (message_id) WHERE message_id IS NOT NULL;
-- What the sweep looks for: doomed ones, and uploads never attached.
CREATE INDEX attachments_doomed ON attachments (doomed_at) WHERE doomed_at IS NOT NULL;
CREATE INDEX attachments_unsent ON attachments (created_at) WHERE message_id IS NULL;

-- FILE_STORAGE=database: the bytes of each file (an attachment, its thumbnail) as chunks,
-- written as they arrive and read back by byte range. start_byte is the chunk's offset.
CREATE TABLE file_chunks (
  file_key text NOT NULL,
  start_byte bigint NOT NULL,
  size integer NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (file_key, start_byte)
);

-- [{ id, name, content_type, size, width, height, thumbnail }], in the order they were sent.
ALTER TABLE messages ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]'::jsonb;

-- Every way a message is deleted (sender, moderator, an erased account, any node) dooms its
-- attachments in the same statement and empties the message's list; so does a message row
-- removed with its chat. The sweep then removes the bytes.
CREATE FUNCTION charla_doom_attachments() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.attachments <> '[]'::jsonb THEN
      UPDATE attachments SET doomed_at = now() WHERE message_id = OLD.id AND doomed_at IS NULL;
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.status = 'deleted' AND OLD.attachments <> '[]'::jsonb THEN
    UPDATE attachments SET doomed_at = now() WHERE message_id = NEW.id AND doomed_at IS NULL;
    NEW.attachments := '[]'::jsonb;
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER messages_doom_attachments_on_delete BEFORE UPDATE OF status ON messages
  FOR EACH ROW WHEN (NEW.status = 'deleted') EXECUTE FUNCTION charla_doom_attachments();
CREATE TRIGGER messages_doom_attachments_on_remove AFTER DELETE ON messages
  FOR EACH ROW EXECUTE FUNCTION charla_doom_attachments();
