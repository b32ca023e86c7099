-- Rich messages: replies, reactions and mentions. Everything a message shows lives in its own
-- row (reply_to, reactions and mentions as columns), so every read (history, sync, the chat
-- list's last message, acknowledgements) returns it with no join, and a read query written
-- for `messages` alone stays right.
ALTER TABLE messages
  ADD COLUMN reply_to_id uuid,
  -- { id, sender_id, body (first 200 characters), status } of the original, kept current by
  -- the original's edit and delete (emptied then).
  ADD COLUMN reply_to jsonb,
  -- [{ emoji, count, user_ids (first 20) }], recomputed from message_reactions on each change.
  ADD COLUMN reactions jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN mentions uuid[] NOT NULL DEFAULT '{}';

-- Only replies are indexed: the original's edit or delete finds its replies through it.
CREATE INDEX messages_replies ON messages (reply_to_id) WHERE reply_to_id IS NOT NULL;

CREATE TABLE message_reactions (
  message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  emoji text NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (message_id, emoji, user_id)
);

-- The append functions gain each message's reply_to_id and mentions ('{uuid,…}' text, or
-- null for none). The reply's quote is read from the original in the same statement.
DROP FUNCTION charla_append_messages(uuid[], uuid[], uuid[], text[], text[]);
DROP FUNCTION charla_append_each(uuid[], uuid[], uuid[], text[], text[]);

CREATE FUNCTION charla_reply_quote(p_reply_to_id uuid, p_chat_id uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object('id', r.id, 'sender_id', r.sender_id, 'body', left(r.body, 200),
                            'status', r.status)
    FROM messages r WHERE r.id = p_reply_to_id AND r.chat_id = p_chat_id
$fn$;

CREATE FUNCTION charla_append_messages(
  p_ids uuid[],
  p_chat_ids uuid[],
  p_sender_ids uuid[],
  p_bodies text[],
  p_client_msg_ids text[],
  p_reply_to_ids uuid[],
  p_mentions text[]
) RETURNS SETOF messages
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT * FROM unnest(p_ids, p_chat_ids, p_sender_ids, p_bodies, p_client_msg_ids,
                         p_reply_to_ids, p_mentions)
      WITH ORDINALITY AS t(id, chat_id, sender_id, body, client_msg_id, reply_to_id, mentions, ord)
  ),
  allowed AS (
    SELECT i.* FROM input i
    WHERE EXISTS (
        SELECT 1 FROM chat_members m WHERE m.chat_id = i.chat_id AND m.user_id = i.sender_id)
      AND (i.client_msg_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM messages d
         WHERE d.sender_id = i.sender_id AND d.client_msg_id = i.client_msg_id))
  ),
  counts AS (SELECT a.chat_id, count(*)::int AS n FROM allowed a GROUP BY a.chat_id),
  bumped AS (
    UPDATE chats c
       SET last_seq = c.last_seq + counts.n,
           last_change_seq = c.last_change_seq + counts.n,
           last_activity_at = now()
      FROM counts
     WHERE c.id = counts.chat_id
    RETURNING c.id, c.last_seq, c.last_change_seq, counts.n
  ),
  numbered AS (
    SELECT a.id, a.chat_id, a.sender_id, a.body, a.client_msg_id, a.reply_to_id, a.mentions,
           row_number() OVER (PARTITION BY a.chat_id ORDER BY a.ord) AS k,
           b.last_seq, b.last_change_seq, b.n
      FROM allowed a JOIN bumped b ON b.id = a.chat_id
  )
  INSERT INTO messages AS m
    (id, chat_id, sender_id, body, status, seq, change_seq, client_msg_id, created_at,
     reply_to_id, reply_to, mentions)
  SELECT x.id, x.chat_id, x.sender_id, x.body, 'sent',
         (x.last_seq - x.n + x.k)::int, (x.last_change_seq - x.n + x.k)::int, x.client_msg_id, now(),
         x.reply_to_id,
         CASE WHEN x.reply_to_id IS NULL THEN NULL ELSE charla_reply_quote(x.reply_to_id, x.chat_id) END,
         coalesce(x.mentions::uuid[], '{}')
    FROM numbered x
  RETURNING m.*;
END
$fn$;

CREATE FUNCTION charla_append_each(
  p_ids uuid[], p_chat_ids uuid[], p_sender_ids uuid[], p_bodies text[], p_client_msg_ids text[],
  p_reply_to_ids uuid[], p_mentions text[]
) RETURNS SETOF messages LANGUAGE plpgsql AS $fn$
DECLARE
  v_seq int;
  v_change int;
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_ids, 1), 0) LOOP
    IF p_client_msg_ids[i] IS NOT NULL AND EXISTS (
      SELECT 1 FROM messages d WHERE d.sender_id = p_sender_ids[i] AND d.client_msg_id = p_client_msg_ids[i]
    ) THEN
      CONTINUE;
    END IF;
    UPDATE chats c SET last_seq = c.last_seq + 1, last_change_seq = c.last_change_seq + 1, last_activity_at = now()
     WHERE c.id = p_chat_ids[i]
       AND EXISTS (SELECT 1 FROM chat_members m WHERE m.chat_id = p_chat_ids[i] AND m.user_id = p_sender_ids[i])
    RETURNING c.last_seq, c.last_change_seq INTO v_seq, v_change;
    IF NOT FOUND THEN
      CONTINUE;
    END IF;
    RETURN QUERY INSERT INTO messages AS m
        (id, chat_id, sender_id, body, status, seq, change_seq, client_msg_id, created_at,
         reply_to_id, reply_to, mentions)
      VALUES (p_ids[i], p_chat_ids[i], p_sender_ids[i], p_bodies[i], 'sent', v_seq, v_change,
              p_client_msg_ids[i], now(), p_reply_to_ids[i],
              CASE WHEN p_reply_to_ids[i] IS NULL THEN NULL
                   ELSE charla_reply_quote(p_reply_to_ids[i], p_chat_ids[i]) END,
              coalesce(p_mentions[i]::uuid[], '{}'))
      RETURNING m.*;
  END LOOP;
END
$fn$;
