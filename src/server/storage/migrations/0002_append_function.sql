-- The group-commit insert as functions, so their plans are prepared once per connection
-- instead of on every batch. charla_append_messages works set-wise (fastest for large
-- batches); charla_append_each goes message by message (fastest for a few messages). Same semantics as before: members only; each chat's counters bumped once
-- by its number of messages under the chat row's lock; seq and change_seq in input order;
-- messages whose (sender_id, client_msg_id) exists already are left out.
CREATE FUNCTION charla_append_messages(
  p_ids uuid[],
  p_chat_ids uuid[],
  p_sender_ids uuid[],
  p_bodies text[],
  p_client_msg_ids text[]
) RETURNS SETOF messages
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT * FROM unnest(p_ids, p_chat_ids, p_sender_ids, p_bodies, p_client_msg_ids)
      WITH ORDINALITY AS t(id, chat_id, sender_id, body, client_msg_id, ord)
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
    SELECT a.id, a.chat_id, a.sender_id, a.body, a.client_msg_id,
           row_number() OVER (PARTITION BY a.chat_id ORDER BY a.ord) AS k,
           b.last_seq, b.last_change_seq, b.n
      FROM allowed a JOIN bumped b ON b.id = a.chat_id
  )
  INSERT INTO messages AS m
    (id, chat_id, sender_id, body, status, seq, change_seq, client_msg_id, created_at)
  SELECT x.id, x.chat_id, x.sender_id, x.body, 'sent',
         (x.last_seq - x.n + x.k)::int, (x.last_change_seq - x.n + x.k)::int, x.client_msg_id, now()
    FROM numbered x
  RETURNING m.*;
END
$fn$;

-- The same, message by message: cheaper than the set-wise plan for one to a few messages.
CREATE FUNCTION charla_append_each(
  p_ids uuid[], p_chat_ids uuid[], p_sender_ids uuid[], p_bodies text[], p_client_msg_ids text[]
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
    RETURN QUERY INSERT INTO messages AS m (id, chat_id, sender_id, body, status, seq, change_seq, client_msg_id, created_at)
      VALUES (p_ids[i], p_chat_ids[i], p_sender_ids[i], p_bodies[i], 'sent', v_seq, v_change, p_client_msg_ids[i], now())
      RETURNING m.*;
  END LOOP;
END
$fn$;
