/** The MessageStore in SQL: edits and deletes take the chat's next change_seq. */
import { sqlState, type SqlDriver } from "../drivers/driver.ts";
import type { AttachmentLinks } from "../attachment-store.ts";
import type { AuditRecord } from "../moderation-store.ts";
import { AttachmentsUnavailable, SendBlocked } from "../errors.ts";
import type { AppendResult, HistoryPage, MessageAccess, MessageStore } from "../message-store.ts";
import { appendMessages } from "./append.ts";
import { auditCte, auditParams } from "./audit.ts";
import { batchedCalls, CANONICAL_UUID } from "./batched-reads.ts";
import { CHAT_BEHIND, INDEXED_POINT } from "./search-index.ts";
import {
  fromJsonRows,
  MESSAGE_COLUMNS,
  selectAsJsonRows,
  toMessage as rowToMessage,
  type Row,
} from "./rows.ts";

/** Thrown inside the attach transaction to roll it back and answer `result` instead. */
class RollBack {
  constructor(readonly result: AppendResult) {}
}

/** One `sync`'s ask of the store (`changesForMember`'s arguments). */
interface CatchUpAsk {
  userId: string;
  after: ReadonlyMap<string, number>;
  limit: number;
}
type CatchUp = Array<{ chat_id: string } & HistoryPage>;

/** Asks with the same key get the same answer: same user, limit and cursors, in order. */
function catchUpKey({ userId, after, limit }: CatchUpAsk): string {
  let key = `${userId} ${limit}`;
  for (const [chatId, afterChangeSeq] of after) key += ` ${chatId}:${afterChangeSeq}`;
  return key;
}

/**
 * Asks per catch-up statement. Each answers at most `limit` (≤ 1000) messages per chat; a
 * storm's asks are mostly a few messages each, and a batch's answer crosses PGlite's thread
 * boundary as one copy.
 */
const CATCH_UP_BATCH = 200;

/**
 * The catch-up of a batch of asks: every ask's memberships with their cursors (0 for a chat
 * not listed; a chat listed that the user is not in is left out by the join), grouped into
 * the distinct pages wanted, and per page the first `page_limit` changes through the
 * (chat_id, change_seq) index, as one JSON value (rows.ts), NULL when it has nothing new.
 * $1–$3: ask, user, limit + 1; $4–$6: ask, chat, after_change_seq of the chats listed.
 */
const CATCH_UP = `WITH asks AS (
    SELECT * FROM unnest($1::int[], $2::uuid[], $3::int[]) AS a(ask, user_id, page_limit)
  ), listed AS (
    SELECT * FROM unnest($4::int[], $5::uuid[], $6::bigint[]) AS l(ask, chat_id, after_change_seq)
  ), cursors AS (
    SELECT a.ask, cm.chat_id, COALESCE(l.after_change_seq, 0) AS after_change_seq, a.page_limit
      FROM asks a
      JOIN chat_members cm ON cm.user_id = a.user_id
      LEFT JOIN listed l ON l.ask = a.ask AND l.chat_id = cm.chat_id
  ), pages AS (
    SELECT chat_id, after_change_seq, page_limit, array_agg(ask) AS sync_asks
      FROM cursors GROUP BY chat_id, after_change_seq, page_limit
  )
  SELECT pages.sync_asks, pages.chat_id AS sync_chat_id, pages.page_limit,
         (${selectAsJsonRows(
           `SELECT ${MESSAGE_COLUMNS} FROM messages
             WHERE chat_id = pages.chat_id AND change_seq > pages.after_change_seq
             ORDER BY change_seq ASC LIMIT pages.page_limit`,
           "r.change_seq ASC",
         )}) AS changes
    FROM pages
   ORDER BY pages.chat_id`;

export function sqlMessageStore(db: SqlDriver, links: AttachmentLinks): MessageStore {
  const toMessage = (row: Row) => rowToMessage(row, links);

  /** The first `limit` rows as a page; the query asked for one more to learn if there are more. */
  function page(rows: Row[], limit: number, newestFirst = false): HistoryPage {
    const messages = rows.slice(0, limit);
    if (newestFirst) messages.reverse();
    return { messages: messages.map(toMessage), has_more: rows.length > limit };
  }

  const translateBlocked = (error: unknown): never => {
    throw sqlState(error) === "CHB01" ? new SendBlocked() : error;
  };

  /** Applies an edit or delete to a live message, with the chat's next change_seq. */
  async function change(
    messageId: string,
    body: string,
    status: "updated" | "deleted",
    mentions: readonly string[],
    audit?: AuditRecord,
  ) {
    // The replies' quotes are rewritten in the same statement; they keep their change_seq
    // (a client learns of the change from the original's own update or delete).
    const rows = await db.query(
      `WITH target AS (
         SELECT chat_id FROM messages WHERE id = $1 AND status <> 'deleted'
       ), bumped AS (
         UPDATE chats SET last_change_seq = last_change_seq + 1
          WHERE id = (SELECT chat_id FROM target)
         RETURNING last_change_seq
       ), changed AS (
         UPDATE messages m SET body = $2, status = $3, updated_at = now(), mentions = $4::uuid[],
                               reactions = CASE WHEN $3 = 'deleted' THEN '[]'::jsonb
                                                ELSE m.reactions END,
                               change_seq = (SELECT last_change_seq FROM bumped)
          WHERE m.id = $1 AND m.status <> 'deleted' AND EXISTS (SELECT 1 FROM bumped)
         RETURNING m.*
       ), quotes AS (
         UPDATE messages r
            SET reply_to = jsonb_build_object('id', c.id, 'sender_id', c.sender_id,
                                              'body', left(c.body, 200), 'status', c.status)
           FROM changed c
          WHERE r.reply_to_id = c.id AND r.chat_id = c.chat_id
       )${audit ? `, ${auditCte(5, "changed")}` : ""}
       SELECT ${MESSAGE_COLUMNS} FROM changed`,
      [messageId, body, status, mentions, ...(audit ? auditParams(audit) : [])],
    );
    return rows[0] && toMessage(rows[0]);
  }

  // The catch-ups of a reconnect storm (thousands of sockets, ten per user) leave together:
  // one statement for a batch of asks, each chat's page read once for every ask that wants
  // the same page (a user's sockets, the members of a room who saw the same messages).
  const catchUp = batchedCalls(
    async (asks: ReadonlyMap<string, CatchUpAsk>) => {
      const answers = new Map<string, CatchUp>();
      const keys: string[] = [];
      const askIds: number[] = [];
      const userIds: string[] = [];
      const limits: number[] = [];
      const listedAsks: number[] = [];
      const listedChats: string[] = [];
      const listedAfter: number[] = [];
      for (const [key, { userId, after, limit }] of asks) {
        const ask = keys.push(key) - 1;
        answers.set(key, []);
        askIds.push(ask);
        userIds.push(userId);
        limits.push(limit + 1); // one more, to learn whether there are more
        const seen = new Set<string>();
        for (const [chatId, afterChangeSeq] of after) {
          // One malformed id must not fail the batch: it names no chat anyway.
          const id = chatId.toLowerCase();
          if (!CANONICAL_UUID.test(id) || seen.has(id)) continue;
          seen.add(id);
          listedAsks.push(ask);
          listedChats.push(id);
          listedAfter.push(afterChangeSeq);
        }
      }
      const rows = await db.query(CATCH_UP, [
        askIds,
        userIds,
        limits,
        listedAsks,
        listedChats,
        listedAfter,
      ]);
      // Rows come in chat order, so each ask's chats do too (as one user's statement had them).
      for (const row of rows) {
        const chat = {
          chat_id: row.sync_chat_id as string,
          ...page(fromJsonRows(row.changes), Number(row.page_limit) - 1),
        };
        for (const ask of row.sync_asks as number[]) answers.get(keys[ask]!)!.push(chat);
      }
      return answers;
    },
    catchUpKey,
    { maxBatch: CATCH_UP_BATCH },
  );

  return {
    // A blocked sender's message makes the statement fail (trigger, migration 0008); the group
    // commit then isolates it and rejects it alone, as SendBlocked.
    append: (batch) => appendMessages(db, batch, links).catch(translateBlocked),

    async appendWithAttachments(message, attachmentIds) {
      const ids = [...new Set(attachmentIds)];
      try {
        return await db.transaction(async (tx) => {
          // A repeat is answered with the original before its attachments are looked at:
          // they are attached already, to that original.
          if (message.client_msg_id !== null) {
            const original = await tx.query(
              `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sender_id = $1 AND client_msg_id = $2`,
              [message.sender_id, message.client_msg_id],
            );
            if (original[0]) return { kind: "duplicate", message: toMessage(original[0]) };
          }
          // Only the sender's own ready uploads, never attached, not claimed by the sweep.
          const claimed = await tx.query(
            `UPDATE attachments SET message_id = $2, chat_id = $3
              WHERE id = ANY($1::uuid[]) AND owner_id = $4 AND ready AND message_id IS NULL
                AND sweep_claimed_at IS NULL AND doomed_at IS NULL
             RETURNING id, name, content_type, size, width, height, has_thumbnail`,
            [ids, message.id, message.chat_id, message.sender_id],
          );
          if (claimed.length !== ids.length) throw new AttachmentsUnavailable();
          const [result] = await appendMessages(tx, [message], links);
          if (result!.kind !== "stored") throw new RollBack(result!);
          const order = new Map(ids.map((id, index) => [id, index]));
          const entries = claimed
            .sort((a, b) => order.get(a.id as string)! - order.get(b.id as string)!)
            .map((row) => ({
              id: row.id,
              name: row.name,
              content_type: row.content_type,
              size: Number(row.size),
              width: row.width,
              height: row.height,
              thumbnail: row.has_thumbnail === true,
            }));
          const rows = await tx.query(
            `UPDATE messages SET attachments = $2::jsonb WHERE id = $1 RETURNING ${MESSAGE_COLUMNS}`,
            [message.id, JSON.stringify(entries)],
          );
          return { kind: "stored", message: toMessage(rows[0]!) };
        });
      } catch (error) {
        if (error instanceof RollBack) return error.result;
        return translateBlocked(error);
      }
    },

    async findForAccess(messageId, callerId) {
      const rows = await db.query(
        `SELECT m.*, c.type AS chat_type, cm.role AS caller_role
           FROM messages m
           JOIN chats c ON c.id = m.chat_id
           LEFT JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = $2
          WHERE m.id = $1`,
        [messageId, callerId],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        message: toMessage(row),
        callerRole: (row.caller_role as MessageAccess["callerRole"]) ?? null,
        chatType: row.chat_type as MessageAccess["chatType"],
      };
    },

    edit: (messageId, body, mentions = []) => change(messageId, body, "updated", mentions),

    delete: (messageId, audit) => change(messageId, "", "deleted", [], audit),

    async deleteAllBySender(senderId) {
      // Each chat's counter moves by the number of its messages deleted, under the chat row's
      // lock (as every change does); the messages take the numbers in between, in seq order.
      const rows = await db.query(
        `WITH targets AS (
           SELECT id AS message_id, chat_id AS target_chat,
                  row_number() OVER (PARTITION BY chat_id ORDER BY seq) AS n
             FROM messages WHERE sender_id = $1 AND status <> 'deleted'
         ), counts AS (
           SELECT target_chat, count(*) AS how_many FROM targets GROUP BY target_chat
         ), bumped AS (
           UPDATE chats c SET last_change_seq = c.last_change_seq + counts.how_many
             FROM counts WHERE c.id = counts.target_chat
           RETURNING c.id AS bumped_chat, c.last_change_seq - counts.how_many AS base
         ), changed AS (
           UPDATE messages m SET body = '', status = 'deleted', updated_at = now(),
                                 mentions = '{}'::uuid[], reactions = '[]'::jsonb,
                                 change_seq = b.base + t.n
             FROM targets t JOIN bumped b ON b.bumped_chat = t.target_chat
            WHERE m.id = t.message_id
           RETURNING m.*
         ), quotes AS (
           -- As a single delete does: the replies' quotes of these messages are emptied.
           UPDATE messages r
              SET reply_to = jsonb_build_object('id', c.id, 'sender_id', c.sender_id,
                                                'body', '', 'status', 'deleted')
             FROM changed c
            WHERE r.reply_to_id = c.id AND r.chat_id = c.chat_id
         )
         SELECT ${MESSAGE_COLUMNS} FROM changed`,
        [senderId],
      );
      return rows.map(toMessage);
    },

    async history(chatId, { limit, before_seq, after_seq }) {
      // Pages are the messages read most: their rows come as one JSON value (rows.ts).
      if (after_seq !== undefined) {
        const [row] = await db.query(
          selectAsJsonRows(
            `SELECT ${MESSAGE_COLUMNS} FROM messages
              WHERE chat_id = $1 AND seq > $2::bigint AND ($3::bigint IS NULL OR seq < $3)
              ORDER BY seq ASC LIMIT $4`,
            "r.seq ASC",
          ),
          [chatId, after_seq, before_seq ?? null, limit + 1],
        );
        return page(fromJsonRows(row?.rows), limit);
      }
      const [row] = await db.query(
        selectAsJsonRows(
          `SELECT ${MESSAGE_COLUMNS} FROM messages
            WHERE chat_id = $1 AND ($2::bigint IS NULL OR seq < $2)
            ORDER BY seq DESC LIMIT $3`,
          "r.seq DESC",
        ),
        [chatId, before_seq ?? null, limit + 1],
      );
      return page(fromJsonRows(row?.rows), limit, true);
    },

    changesForMember: async (userId, after, limit) =>
      (await catchUp({ userId, after, limit })) ?? [],

    async search(callerId, text, { chatId, beforeId, limit }) {
      // The caller's chats (or `chatId` when among them) first. What each chat has indexed
      // (migration 0020) is matched in the GIN index, its words AND one of those chats (0014),
      // so a common word costs the caller's matches, not the whole database's. The changes the
      // indexer has not reached yet (few: it follows the commits) are read from the messages
      // and matched as they are now, so a message is found the moment it commits, and their
      // documents in the index, possibly of an older text, are set aside. Matches are ordered
      // and cut in the index, and only the page's rows read. `before` is a (created_at, id)
      // cursor, so pages never skip or repeat a message.
      const rows = await db.query(
        `WITH mine AS (
           SELECT ARRAY(SELECT chat_id FROM chat_members
                         WHERE user_id = $1 AND ($2::uuid IS NULL OR chat_id = $2::uuid)) AS ids
         ), unindexed AS MATERIALIZED (
           SELECT m.id, m.created_at, m.status, m.chat_id, m.body
             FROM chats c
             LEFT JOIN search_progress p ON p.chat_id = c.id
             JOIN messages m ON m.chat_id = c.id AND m.change_seq > ${INDEXED_POINT}
            WHERE c.id = ANY ((SELECT ids FROM mine)::uuid[]) AND ${CHAT_BEHIND}
         ), wanted AS (
           SELECT charla_search_in_chats($3, (SELECT ids FROM mine)) AS q
         ), found AS (
           SELECT s.message_id AS id, s.created_at FROM message_search s
            WHERE s.document @@ (SELECT q FROM wanted)
              AND s.message_id NOT IN (SELECT id FROM unindexed)
           UNION ALL
           SELECT u.id, u.created_at FROM unindexed u
            WHERE u.status <> 'deleted'
              AND charla_search_document(u.chat_id, u.body) @@ (SELECT q FROM wanted)
         ), page AS (
           SELECT id FROM found
            WHERE $4::uuid IS NULL OR (created_at, id) <
                  (SELECT b.created_at, b.id FROM messages b WHERE b.id = $4::uuid)
            ORDER BY created_at DESC, id DESC
            LIMIT $5
         )
         SELECT ${MESSAGE_COLUMNS} FROM messages m
          WHERE m.id IN (SELECT id FROM page)
          ORDER BY m.created_at DESC, m.id DESC`,
        [callerId, chatId ?? null, text, beforeId ?? null, limit + 1],
      );
      return { messages: rows.slice(0, limit).map(toMessage), has_more: rows.length > limit };
    },

    async changesSince(chatId, afterChangeSeq, limit) {
      const [row] = await db.query(
        selectAsJsonRows(
          `SELECT ${MESSAGE_COLUMNS} FROM messages
            WHERE chat_id = $1 AND change_seq > $2::bigint ORDER BY change_seq ASC LIMIT $3`,
          "r.change_seq ASC",
        ),
        [chatId, afterChangeSeq, limit + 1],
      );
      return page(fromJsonRows(row?.rows), limit);
    },
  };
}
