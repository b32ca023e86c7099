/** The WebhookStore in SQL: incoming_webhooks (migration 0013). */
import type { SqlQueryable } from "../drivers/driver.ts";
import type { StoredIncomingWebhook, WebhookStore } from "../webhook-store.ts";
import { auditCte, auditParams } from "./audit.ts";
import { iso, type Row } from "./rows.ts";

function toIncoming(row: Row): StoredIncomingWebhook {
  return {
    id: row.id as string,
    name: row.name as string,
    chat_id: row.chat_id as string,
    bot_id: row.bot_id as string,
    created_by: row.created_by as string,
    created_at: iso(row.created_at),
  };
}

/** A password hash no password verifies against: the webhook's bot has no way to log in. */
const NO_PASSWORD = "!webhook";

export function sqlWebhookStore(db: SqlQueryable): WebhookStore {
  return {
    async createIncoming(webhook, audit) {
      const rows = await db.query(
        `WITH bot AS (
           INSERT INTO users (id, username, password_hash, role, bot, display_name)
           VALUES ($1, $2, '${NO_PASSWORD}', 'user', true, $3) RETURNING id
         ), member AS (
           INSERT INTO chat_members (chat_id, user_id, role) SELECT $4, id, 'member' FROM bot
         ), hook AS (
           INSERT INTO incoming_webhooks (id, chat_id, bot_id, name, token_hash, created_by)
           SELECT $5, $4, id, $3, $6, $7 FROM bot RETURNING *
         ), ${auditCte(8, "hook")}
         SELECT * FROM hook`,
        [
          webhook.bot.id,
          webhook.bot.username,
          webhook.name,
          webhook.chat_id,
          webhook.id,
          webhook.token_hash,
          webhook.created_by,
          ...auditParams(audit),
        ],
      );
      return toIncoming(rows[0]!);
    },

    async listIncoming(chatId) {
      const rows = await db.query(
        "SELECT * FROM incoming_webhooks WHERE chat_id = $1 ORDER BY created_at, id",
        [chatId],
      );
      return rows.map(toIncoming);
    },

    async findIncomingByTokenHash(tokenHash) {
      const rows = await db.query("SELECT * FROM incoming_webhooks WHERE token_hash = $1", [
        tokenHash,
      ]);
      const row = rows[0];
      return row && { webhook: toIncoming(row), tokenHash: row.token_hash as string };
    },

    async deleteIncoming(chatId, webhookId, audit) {
      const rows = await db.query(
        `WITH hook AS (
           DELETE FROM incoming_webhooks WHERE id = $1 AND chat_id = $2 RETURNING *
         ), member AS (
           DELETE FROM chat_members m USING hook h
            WHERE m.chat_id = h.chat_id AND m.user_id = h.bot_id
         ), bot AS (
           UPDATE users u SET deactivated_at = now(), token_version = u.token_version + 1
             FROM hook h WHERE u.id = h.bot_id
         ), ${auditCte(3, "hook")}
         SELECT * FROM hook`,
        [webhookId, chatId, ...auditParams(audit)],
      );
      return rows[0] && toIncoming(rows[0]);
    },
  };
}
