/**
 * The SearchIndexStore in SQL: documents in `message_search`, each chat's indexed point in
 * `search_progress` (migration 0020).
 */
import type { SqlQueryable } from "../drivers/driver.ts";
import type { SearchIndexStore } from "../search-index-store.ts";

/**
 * How far chat `c`'s changes are indexed, given its `search_progress` row `p` (LEFT JOINed:
 * none yet is 0), and whether it has changes after that point. The indexer and a search must
 * agree on both.
 */
export const INDEXED_POINT = "COALESCE(p.indexed_change_seq, 0)";
export const CHAT_BEHIND = `c.last_change_seq > ${INDEXED_POINT}`;

/**
 * Up to `$1` changes of chats indexed behind their `last_change_seq`, in change order per
 * chat, so each chat's indexed point moves to the last change taken and the changes after it
 * stay for the next pass. The pass is shared out: up to 64 chats behind, picked at random so
 * none waits for ever behind others that keep changing, and their changes taken in turns
 * (every chat's oldest, then every chat's second...), so a busy chat's backlog does not keep
 * a quiet chat's new message out of the index. A change is its message as it is now: an edit replaces the
 * document, a deletion removes it, a reaction finds it unchanged and writes nothing. Every
 * change bumps its chat's `last_change_seq` under the chat's row lock, so once one change is
 * visible every earlier one of its chat is too, and nothing is skipped.
 *
 * One statement, so on PGlite's one session it holds up the group commit for that statement
 * only (a transaction of several would hold it for all of them: p50 at 8,000 msg/s 121 -> 61
 * ms). One node at a time (the advisory lock, released when the statement ends), so two nodes
 * do not index the same changes and deadlock on their rows. Correctness does not rest on the
 * lock: a pass whose snapshot predates another's commit writes older documents with the older
 * indexed point of the same snapshot, so those messages count as not indexed (a search reads
 * them from the messages) and the next pass indexes them again.
 */
const INDEX_PENDING = `
  WITH lock AS MATERIALIZED (
    SELECT pg_try_advisory_xact_lock(hashtext('charla:search-index')) AS got
  ), behind AS (
    SELECT c.id AS chat_id, ${INDEXED_POINT} AS indexed
      FROM chats c LEFT JOIN search_progress p ON p.chat_id = c.id
     WHERE (SELECT got FROM lock) AND ${CHAT_BEHIND}
     ORDER BY random()
     LIMIT 64
  ), todo AS (
    SELECT changed.id, b.chat_id, changed.change_seq
      FROM behind b CROSS JOIN LATERAL (
        SELECT id, change_seq, row_number() OVER (ORDER BY change_seq) AS turn FROM messages
         WHERE chat_id = b.chat_id AND change_seq > b.indexed
         ORDER BY change_seq LIMIT $1) changed
     ORDER BY changed.turn, b.chat_id LIMIT $1
  ), removed AS (
    DELETE FROM message_search s USING todo t, messages m
     WHERE s.message_id = t.id AND m.id = t.id AND m.status = 'deleted'
  ), indexed AS (
    INSERT INTO message_search AS s (message_id, created_at, document)
    SELECT m.id, m.created_at, charla_search_document(m.chat_id, m.body)
      FROM todo t JOIN messages m ON m.id = t.id
     WHERE m.status <> 'deleted'
    ON CONFLICT (message_id) DO UPDATE SET document = excluded.document
     WHERE s.document IS DISTINCT FROM excluded.document
  ), advanced AS (
    INSERT INTO search_progress (chat_id, indexed_change_seq)
    SELECT chat_id, max(change_seq) FROM todo GROUP BY chat_id
    ON CONFLICT (chat_id) DO UPDATE SET indexed_change_seq = excluded.indexed_change_seq
  )
  SELECT (SELECT got FROM lock) AS got, count(*)::int AS n,
         count(*) = $1 OR (SELECT count(*) FROM behind) = 64 AS more
    FROM todo`;

export function sqlSearchIndexStore(db: SqlQueryable): SearchIndexStore {
  return {
    async indexPending(maxChanges) {
      const [row] = await db.query<{ got: boolean; n: number; more: boolean }>(INDEX_PENDING, [
        maxChanges,
      ]);
      if (!row?.got) return undefined;
      return { indexed: row.n, more: row.more };
    },
    async chatsBehind() {
      const [row] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM chats c LEFT JOIN search_progress p ON p.chat_id = c.id
          WHERE ${CHAT_BEHIND}`,
      );
      return row?.n ?? 0;
    },
  };
}
