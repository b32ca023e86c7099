/**
 * The WebhookStore in SQL: incoming_webhooks (migration 0013); outgoing_webhooks and the
 * delivery queue webhook_deliveries (0016), which triggers fill in the changes' transactions.
 */
import type { AttachmentLinks } from "../attachment-store.ts";
import type { SqlQueryable } from "../drivers/driver.ts";
import type {
  ClaimedDelivery,
  StoredDelivery,
  StoredIncomingWebhook,
  StoredOutgoingWebhook,
  WebhookStore,
} from "../webhook-store.ts";
import { auditCte, auditParams } from "./audit.ts";
import { iso, toMessage, type Row } from "./rows.ts";

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

function toOutgoing(row: Row): StoredOutgoingWebhook {
  return {
    id: row.id as string,
    url: row.url as string,
    events: textArray(row.events),
    created_by: row.created_by as string,
    created_at: iso(row.created_at),
  };
}

/** A text[] column: an array from both drivers, or PostgreSQL's `{a,b}` text form. */
function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  if (typeof value !== "string" || value === "{}") return [];
  return value
    .replace(/^\{|\}$/g, "")
    .split(",")
    .map((item) => item.replace(/^"|"$/g, ""));
}

const isoOrNull = (value: unknown) => (value === null || value === undefined ? null : iso(value));
const intOrNull = (value: unknown) =>
  value === null || value === undefined ? null : Number(value);

function toDelivery(row: Row): StoredDelivery {
  const open = row.delivered_at == null && row.given_up_at == null;
  return {
    id: row.id as string,
    webhook_id: row.webhook_id as string,
    chat_id: row.chat_id as string,
    event: row.event as string,
    attempts: Number(row.attempts),
    last_status: intOrNull(row.last_status),
    last_error: (row.last_error as string | null) ?? null,
    delivered_at: isoOrNull(row.delivered_at),
    next_attempt_at: open ? iso(row.next_attempt_at) : null,
    given_up_at: isoOrNull(row.given_up_at),
    created_at: iso(row.created_at),
  };
}

/**
 * The head of every lane (webhook, chat): its oldest undelivered item. Of those, the due ones
 * not leased are locked, skipping rows another node's claim holds, and leased. The conditions
 * that matter are on `d` itself, so that PostgreSQL checks them again on the latest version of
 * a row a concurrent claim or result just changed (READ COMMITTED re-evaluation).
 * The heads are gathered once into an array (an InitPlan): as `IN (SELECT …)` the planner,
 * trusting the statistics of a queue that filled faster than autovacuum analyzes it, took a
 * nested loop that sorted the lane heads again for every pending row — 34 s per claim with
 * 11,800 pending, so deliveries fell to 5/s and leases ran out (duplicates); 38 ms this way.
 */
const CLAIM = `
  WITH heads AS (
    SELECT DISTINCT ON (webhook_id, chat_id) id
      FROM webhook_deliveries
     WHERE delivered_at IS NULL AND given_up_at IS NULL
     ORDER BY webhook_id, chat_id, chat_order, created_at
  ), due AS (
    SELECT d.id FROM webhook_deliveries d
     WHERE d.id = ANY (ARRAY(SELECT id FROM heads))
       AND d.delivered_at IS NULL AND d.given_up_at IS NULL
       AND d.next_attempt_at <= now()
       AND (d.leased_until IS NULL OR d.leased_until <= now())
     ORDER BY d.next_attempt_at
     LIMIT $1
     FOR UPDATE OF d SKIP LOCKED
  )
  UPDATE webhook_deliveries d
     SET leased_until = now() + make_interval(secs => $2), attempts = d.attempts + 1
    FROM due, outgoing_webhooks w
   WHERE d.id = due.id AND w.id = d.webhook_id
  RETURNING d.id, d.webhook_id, d.chat_id, d.event, d.data, d.attempts, d.created_at,
            w.url, w.secret_sealed`;

/**
 * A payload as the socket event carries it: the trigger stored message rows as JSON
 * (to_jsonb), which become messages exactly as every other answer shapes them.
 */
function eventData(event: string, raw: unknown, links: AttachmentLinks): unknown {
  const data = typeof raw === "string" ? (JSON.parse(raw) as unknown) : (raw ?? null);
  if (data === null) return null;
  if (event === "message:send" || event === "message:update") {
    return toMessage(data as Row, links);
  }
  return data;
}

/** Results of many attempts at once; one of an attempt that is no longer the latest is dropped. */
const FINISH = `
  UPDATE webhook_deliveries d
     SET delivered_at = CASE WHEN r.delivered::boolean THEN now() END,
         given_up_at = CASE WHEN NOT r.delivered::boolean AND r.retry_at IS NULL THEN now() END,
         next_attempt_at = coalesce(r.retry_at::timestamptz, d.next_attempt_at),
         last_status = r.status::int,
         last_error = r.error,
         leased_until = NULL
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           AS r(id, attempts, delivered, status, error, retry_at)
   WHERE d.id = r.id::uuid AND d.attempts = r.attempts::int
     AND d.delivered_at IS NULL AND d.given_up_at IS NULL`;

/**
 * Deletes the chat's incoming webhook whose `column` is $1, takes its bot out of the chat and
 * deactivates it, with the audit entry ($3…), in one statement.
 */
function deleteIncomingWhere(column: "id" | "bot_id"): string {
  return `WITH hook AS (
      DELETE FROM incoming_webhooks WHERE ${column} = $1 AND chat_id = $2 RETURNING *
    ), member AS (
      DELETE FROM chat_members m USING hook h
       WHERE m.chat_id = h.chat_id AND m.user_id = h.bot_id
    ), bot AS (
      UPDATE users u SET deactivated_at = now(), token_version = u.token_version + 1
        FROM hook h WHERE u.id = h.bot_id
    ), ${auditCte(3, "hook")}
    SELECT * FROM hook`;
}

/** A password hash no password verifies against: the webhook's bot has no way to log in. */
const NO_PASSWORD = "!webhook";

export function sqlWebhookStore(db: SqlQueryable, links: AttachmentLinks): WebhookStore {
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
      // A webhook whose bot left the chat (before its removal took the webhook with it)
      // answers 404: not listed either.
      const rows = await db.query(
        `SELECT w.* FROM incoming_webhooks w
           JOIN chat_members m ON m.chat_id = w.chat_id AND m.user_id = w.bot_id
          WHERE w.chat_id = $1 ORDER BY w.created_at, w.id`,
        [chatId],
      );
      return rows.map(toIncoming);
    },

    async findIncomingByTokenHash(tokenHash) {
      // A webhook whose bot an admin deactivated posts nothing (as its bot could not log in).
      const rows = await db.query(
        `SELECT w.* FROM incoming_webhooks w
           JOIN users u ON u.id = w.bot_id AND u.deactivated_at IS NULL
          WHERE w.token_hash = $1`,
        [tokenHash],
      );
      const row = rows[0];
      return row && { webhook: toIncoming(row), tokenHash: row.token_hash as string };
    },

    async deleteIncoming(chatId, webhookId, audit) {
      const rows = await db.query(deleteIncomingWhere("id"), [
        webhookId,
        chatId,
        ...auditParams(audit),
      ]);
      return rows[0] && toIncoming(rows[0]);
    },

    async deleteIncomingOfBot(chatId, botId, audit) {
      const rows = await db.query(deleteIncomingWhere("bot_id"), [
        botId,
        chatId,
        ...auditParams(audit),
      ]);
      return rows[0] && toIncoming(rows[0]);
    },

    async createOutgoing(webhook, audit) {
      const rows = await db.query(
        `WITH hook AS (
           INSERT INTO outgoing_webhooks (id, url, events, secret_sealed, created_by)
           VALUES ($1, $2, $3::text[], $4, $5) RETURNING *
         ), ${auditCte(6, "hook")}
         SELECT * FROM hook`,
        [
          webhook.id,
          webhook.url,
          [...webhook.events],
          webhook.secret_sealed,
          webhook.created_by,
          ...auditParams(audit),
        ],
      );
      return toOutgoing(rows[0]!);
    },

    async listOutgoing() {
      const rows = await db.query("SELECT * FROM outgoing_webhooks ORDER BY created_at, id");
      return rows.map(toOutgoing);
    },

    async findOutgoing(webhookId) {
      const rows = await db.query("SELECT * FROM outgoing_webhooks WHERE id = $1", [webhookId]);
      return rows[0] && toOutgoing(rows[0]);
    },

    async deleteOutgoing(webhookId, audit) {
      const rows = await db.query(
        `WITH hook AS (DELETE FROM outgoing_webhooks WHERE id = $1 RETURNING id),
         ${auditCte(2, "hook")}
         SELECT id FROM hook`,
        [webhookId, ...auditParams(audit)],
      );
      return rows.length > 0;
    },

    async deliveries(webhookId, limit) {
      const rows = await db.query(
        `SELECT * FROM webhook_deliveries WHERE webhook_id = $1
          ORDER BY created_at DESC, chat_order DESC, id LIMIT $2`,
        [webhookId, limit],
      );
      return rows.map(toDelivery);
    },

    async claimDeliveries(limit, leaseSeconds): Promise<ClaimedDelivery[]> {
      const rows = await db.query(CLAIM, [limit, leaseSeconds]);
      return rows.map((row) => ({
        id: row.id as string,
        webhook_id: row.webhook_id as string,
        chat_id: row.chat_id as string,
        event: row.event as string,
        data: eventData(row.event as string, row.data, links),
        attempts: Number(row.attempts),
        created_at: iso(row.created_at),
        url: row.url as string,
        secret_sealed: row.secret_sealed as string,
      }));
    },

    async setDeliveryData(deliveryId, data) {
      await db.query("UPDATE webhook_deliveries SET data = $2::jsonb WHERE id = $1", [
        deliveryId,
        JSON.stringify(data),
      ]);
    },

    async finishDeliveries(results) {
      if (results.length === 0) return;
      const column = <T>(pick: (r: (typeof results)[number]) => T) => results.map(pick);
      await db.query(FINISH, [
        column((r) => r.id),
        column((r) => String(r.attempts)),
        column((r) => (r.delivered ? "true" : "false")),
        column((r) => (r.status === null ? null : String(r.status))),
        column((r) => (r.delivered ? null : r.error)),
        column((r) => (r.delivered || r.retryAt === null ? null : r.retryAt.toISOString())),
      ]);
    },

    async purgeDeliveries(before, limit) {
      const rows = await db.query(
        `DELETE FROM webhook_deliveries WHERE id IN (
           SELECT id FROM webhook_deliveries
            WHERE coalesce(delivered_at, given_up_at) < $1 LIMIT $2)
         RETURNING id`,
        [before.toISOString(), limit],
      );
      return rows.length;
    },
  };
}
