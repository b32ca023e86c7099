/**
 * The ReactionStore in SQL. Each change runs in a transaction that first locks the chat row
 * (the order every message change takes: chat, then message), so concurrent reactions on a
 * message are counted one after the other and the message's `reactions` column, recomputed
 * from message_reactions, is never stale.
 */
import { REACTION_USER_IDS_MAX, REACTIONS_PER_MESSAGE_MAX, type Reaction } from "@charla/protocol";
import type { SqlDriver, SqlQueryable } from "../drivers/driver.ts";
import { TooManyReactions } from "../errors.ts";
import type { ReactionChange, ReactionStore } from "../reaction-store.ts";
import type { Row } from "./rows.ts";

/** The live message's chat, with the chat row locked; undefined when the message is gone. */
async function lockLiveMessage(tx: SqlQueryable, messageId: string) {
  const found = await tx.query<{ chat_id: string }>("SELECT chat_id FROM messages WHERE id = $1", [
    messageId,
  ]);
  if (!found[0]) return undefined;
  await tx.query("SELECT 1 FROM chats WHERE id = $1 FOR UPDATE", [found[0].chat_id]);
  // Read under the lock, so a delete committed meanwhile is seen.
  const rows = await tx.query<Row>(
    "SELECT chat_id, change_seq, reactions FROM messages WHERE id = $1 AND status <> 'deleted'",
    [messageId],
  );
  return rows[0];
}

const parse = (value: unknown): Reaction[] =>
  (typeof value === "string" ? JSON.parse(value) : value) as Reaction[];

/** Recomputes the message's reactions and gives it the chat's next change_seq. */
async function bump(tx: SqlQueryable, messageId: string, chatId: string) {
  const rows = await tx.query<Row>(
    `WITH bumped AS (
       UPDATE chats SET last_change_seq = last_change_seq + 1 WHERE id = $2
       RETURNING last_change_seq
     ), summary AS (
       SELECT coalesce(jsonb_agg(jsonb_build_object(
                'emoji', g.emoji, 'count', g.n, 'user_ids', to_jsonb(g.ids[1:$3]))
                ORDER BY g.first_at, g.emoji), '[]'::jsonb) AS reactions
         FROM (SELECT emoji, count(*)::int AS n, min(created_at) AS first_at,
                      array_agg(user_id ORDER BY created_at, user_id) AS ids
                 FROM message_reactions WHERE message_id = $1 GROUP BY emoji) g
     )
     UPDATE messages SET reactions = (SELECT reactions FROM summary),
                         change_seq = (SELECT last_change_seq FROM bumped)
      WHERE id = $1
     RETURNING chat_id, change_seq, reactions`,
    [messageId, chatId, REACTION_USER_IDS_MAX],
  );
  return rows[0]!;
}

function answer(messageId: string, row: Row, changed: boolean): ReactionChange {
  return {
    message_id: messageId,
    chat_id: row.chat_id as string,
    reactions: parse(row.reactions),
    change_seq: Number(row.change_seq),
    changed,
  };
}

export function sqlReactionStore(db: SqlDriver): ReactionStore {
  return {
    add: (messageId, userId, emoji) =>
      db.transaction(async (tx) => {
        const message = await lockLiveMessage(tx, messageId);
        if (!message) return undefined;
        const current = parse(message.reactions);
        if (
          !current.some((r) => r.emoji === emoji) &&
          current.length >= REACTIONS_PER_MESSAGE_MAX
        ) {
          throw new TooManyReactions(messageId);
        }
        const inserted = await tx.query(
          `INSERT INTO message_reactions (message_id, emoji, user_id) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING 1`,
          [messageId, emoji, userId],
        );
        if (inserted.length === 0) return answer(messageId, message, false);
        return answer(messageId, await bump(tx, messageId, message.chat_id as string), true);
      }),

    remove: (messageId, userId, emoji) =>
      db.transaction(async (tx) => {
        const message = await lockLiveMessage(tx, messageId);
        if (!message) return undefined;
        const deleted = await tx.query(
          `DELETE FROM message_reactions WHERE message_id = $1 AND emoji = $2 AND user_id = $3
           RETURNING 1`,
          [messageId, emoji, userId],
        );
        if (deleted.length === 0) return answer(messageId, message, false);
        return answer(messageId, await bump(tx, messageId, message.chat_id as string), true);
      }),
  };
}
