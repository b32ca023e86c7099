-- The search index leaves the send path (docs/benchmarks.md, "The search index after the
-- commit"). Migration 0014's GIN index was on `messages` itself, so every batch of the group
-- commit built each message's document and inserted it into GIN before the senders were
-- acknowledged: ~70 µs of database time per message, 20-50 % of the sustained send rate on a
-- busy 2-core box. Documents now live in their own table, filled by an indexer after the
-- commit (storage/sql/search-index.ts), the way Zulip defers its full-text updates. Each chat
-- records how far its changes are indexed (`search_progress`, by `change_seq`, which every
-- insert, edit, delete and reaction bumps), and a search reads the index for what is indexed
-- and the messages themselves for the few changes not yet indexed, so it misses nothing.

-- created_at is the message's (it never changes), so that a search orders its matches and
-- cuts its page here, and reads from `messages` only the page's rows.
CREATE TABLE message_search (
  message_id uuid PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  document tsvector NOT NULL
);

-- A chat without a row has nothing indexed yet (0).
CREATE TABLE search_progress (
  chat_id uuid PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE,
  indexed_change_seq integer NOT NULL
);

INSERT INTO message_search (message_id, created_at, document)
  SELECT id, created_at, charla_search_document(chat_id, body) FROM messages
   WHERE status <> 'deleted';
INSERT INTO search_progress (chat_id, indexed_change_seq)
  SELECT id, last_change_seq FROM chats WHERE last_change_seq > 0;

DROP INDEX messages_search;
-- Built after the rows are in (one bulk build rather than row by row).
CREATE INDEX message_search_document ON message_search USING gin (document);
