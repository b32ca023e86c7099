-- Outgoing webhooks (CONTRACT.md v2): events POSTed to URLs an admin registered, from a queue
-- kept in the database. The queue is filled by triggers, in the transaction of the change
-- itself (group commit, edits, deletes on every node and path), so a crash between commit and
-- delivery loses nothing. Nodes claim due items with FOR UPDATE SKIP LOCKED and a lease
-- (domain/outgoing-webhooks.ts, webhooks/dispatcher.ts; docs/operations.md says why not a
-- job-queue library).
CREATE TABLE outgoing_webhooks (
  id uuid PRIMARY KEY,
  url text NOT NULL,
  events text[] NOT NULL,
  -- The signing secret must be read back to sign, so unlike the other secrets it is not
  -- hashed: it is sealed (AES-256-GCM under a key derived from the server's JWT secret).
  secret_sealed text NOT NULL,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  webhook_id uuid NOT NULL REFERENCES outgoing_webhooks (id) ON DELETE CASCADE,
  chat_id uuid NOT NULL,
  -- Order within one chat: the change's change_seq (commit order); 0 for chat:created.
  chat_order integer NOT NULL,
  event text NOT NULL,
  -- The socket event's payload as committed; null for chat:created until the first attempt
  -- reads the chat (its members are inserted after the chat row, in the same transaction).
  data jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- While a node is sending it: no other node claims it before this passes.
  leased_until timestamptz,
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  given_up_at timestamptz
);
-- What is still to deliver, lane by lane (webhook, chat) in order: the claim reads the head
-- of each lane from here.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, chat_id, chat_order)
  WHERE delivered_at IS NULL AND given_up_at IS NULL;
CREATE INDEX webhook_deliveries_pending_by_chat ON webhook_deliveries (chat_id, chat_order)
  WHERE delivered_at IS NULL AND given_up_at IS NULL;
-- The deliveries list, and the purge of what was settled long ago.
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at DESC, id);

-- Statement-level, over the transition tables: one INSERT … SELECT per batch of the group
-- commit, and with no webhook registered a single probe of an empty table.
CREATE FUNCTION charla_queue_message_deliveries() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM outgoing_webhooks) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO webhook_deliveries (webhook_id, chat_id, chat_order, event, data)
    SELECT w.id, n.chat_id, n.change_seq, 'message:send', to_jsonb(n)
      FROM changed_new n
      JOIN outgoing_webhooks w ON 'message:send' = ANY (w.events)
     ORDER BY n.chat_id, n.change_seq;
  ELSE
    -- A change made in the send's own transaction (its attachments are set right after the
    -- insert) is part of what was sent: the snapshot queued by this transaction follows it.
    -- created_at = now() singles out the rows this very transaction queued.
    IF EXISTS (SELECT 1 FROM changed_new n JOIN changed_old o ON o.id = n.id
                WHERE n.attachments IS DISTINCT FROM o.attachments AND n.status = 'sent') THEN
      UPDATE webhook_deliveries d SET data = to_jsonb(n)
        FROM changed_new n JOIN changed_old o ON o.id = n.id
       WHERE n.change_seq = o.change_seq AND n.status = 'sent'
         AND d.chat_id = n.chat_id AND d.chat_order = n.change_seq
         AND d.created_at = now() AND d.event = 'message:send'
         AND d.delivered_at IS NULL AND d.given_up_at IS NULL;
    END IF;
    INSERT INTO webhook_deliveries (webhook_id, chat_id, chat_order, event, data)
    SELECT w.id, n.chat_id, n.change_seq, e.event,
           CASE WHEN e.event = 'message:delete'
                THEN jsonb_build_object('id', n.id, 'chat_id', n.chat_id, 'seq', n.seq,
                                        'change_seq', n.change_seq)
                ELSE to_jsonb(n) END
      FROM changed_new n
      JOIN changed_old o ON o.id = n.id
      CROSS JOIN LATERAL (
        SELECT CASE
                 WHEN n.status = 'deleted' AND o.status <> 'deleted' THEN 'message:delete'
                 WHEN n.status = 'updated' AND n.updated_at IS DISTINCT FROM o.updated_at
                   THEN 'message:update'
               END AS event
      ) e
      JOIN outgoing_webhooks w ON e.event = ANY (w.events)
     ORDER BY n.chat_id, n.change_seq;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER messages_queue_sent AFTER INSERT ON messages
  REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION charla_queue_message_deliveries();
CREATE TRIGGER messages_queue_changed AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION charla_queue_message_deliveries();

CREATE FUNCTION charla_queue_chat_deliveries() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO webhook_deliveries (webhook_id, chat_id, chat_order, event)
  SELECT w.id, NEW.id, 0, 'chat:created'
    FROM outgoing_webhooks w WHERE 'chat:created' = ANY (w.events);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER chats_queue_created AFTER INSERT ON chats
  FOR EACH ROW EXECUTE FUNCTION charla_queue_chat_deliveries();
