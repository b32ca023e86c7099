/**
 * The webhooks part of the storage port: incoming webhooks (a secret URL that posts into a
 * chat as the webhook's bot user) and outgoing ones (deliveries queued in the database).
 */
import type { AuditRecord } from "./bot-store.ts";

export interface StoredIncomingWebhook {
  id: string;
  name: string;
  chat_id: string;
  bot_id: string;
  created_by: string;
  created_at: string;
}

export interface NewIncomingWebhook {
  id: string;
  name: string;
  chat_id: string;
  created_by: string;
  /** SHA-256 of the URL's secret: shown once, never stored. */
  token_hash: string;
  /** The bot user it posts as, created with it and made a member of the chat. */
  bot: { id: string; username: string };
}

export interface WebhookStore {
  /** Creates the bot user, its membership and the webhook, with the audit entry, at once. */
  createIncoming(webhook: NewIncomingWebhook, audit: AuditRecord): Promise<StoredIncomingWebhook>;
  /** The chat's incoming webhooks, oldest first. */
  listIncoming(chatId: string): Promise<StoredIncomingWebhook[]>;
  /** The webhook whose secret hashes to `tokenHash`, with that stored hash (final compare). */
  findIncomingByTokenHash(
    tokenHash: string,
  ): Promise<{ webhook: StoredIncomingWebhook; tokenHash: string } | undefined>;
  /**
   * Deletes the webhook, takes its bot out of the chat and deactivates it, with the audit
   * entry, at once; undefined when the chat has no such webhook.
   */
  deleteIncoming(
    chatId: string,
    webhookId: string,
    audit: AuditRecord,
  ): Promise<StoredIncomingWebhook | undefined>;
}
