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

export interface StoredOutgoingWebhook {
  id: string;
  url: string;
  events: string[];
  created_by: string;
  created_at: string;
}

export interface NewOutgoingWebhook {
  id: string;
  url: string;
  events: readonly string[];
  /** The signing secret, sealed (webhooks/sealed.ts): it must be read back to sign. */
  secret_sealed: string;
  created_by: string;
}

export interface StoredDelivery {
  id: string;
  webhook_id: string;
  chat_id: string;
  event: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  /** null once delivered or given up. */
  next_attempt_at: string | null;
  given_up_at: string | null;
  created_at: string;
}

/** A delivery a node has claimed (leased) to send now. */
export interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  chat_id: string;
  event: string;
  /** The event's payload as the trigger stored it (a row as JSON), or null (chat:created). */
  data: unknown;
  /** This attempt's number (1 for the first): results are written only for it. */
  attempts: number;
  created_at: string;
  url: string;
  secret_sealed: string;
}

export type DeliveryResult =
  | { id: string; attempts: number; delivered: true; status: number }
  | {
      id: string;
      attempts: number;
      delivered: false;
      status: number | null;
      error: string;
      /** When to try again; null gives up (the 24 hours are over). */
      retryAt: Date | null;
    };

export interface WebhookStore {
  /** Creates the bot user, its membership and the webhook, with the audit entry, at once. */
  createIncoming(webhook: NewIncomingWebhook, audit: AuditRecord): Promise<StoredIncomingWebhook>;
  /**
   * The chat's incoming webhooks whose bot is still a member (only those can post), oldest
   * first.
   */
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
  /**
   * The same for the webhook whose bot is `botId` (a manager removes the bot from the group:
   * the webhook goes with it); undefined when `botId` is no webhook's bot in the chat.
   */
  deleteIncomingOfBot(
    chatId: string,
    botId: string,
    audit: AuditRecord,
  ): Promise<StoredIncomingWebhook | undefined>;

  createOutgoing(webhook: NewOutgoingWebhook, audit: AuditRecord): Promise<StoredOutgoingWebhook>;
  /** Oldest first. */
  listOutgoing(): Promise<StoredOutgoingWebhook[]>;
  /** With its queue; false when there is no such webhook. */
  deleteOutgoing(webhookId: string, audit: AuditRecord): Promise<boolean>;
  findOutgoing(webhookId: string): Promise<StoredOutgoingWebhook | undefined>;
  /** The webhook's deliveries, newest first. */
  deliveries(webhookId: string, limit: number): Promise<StoredDelivery[]>;
  /**
   * Claims up to `limit` due deliveries, each the oldest undelivered one of its lane (webhook,
   * chat), none leased by another node: they are leased for `leaseSeconds` and their attempt
   * counted. Rows locked by a concurrent claim are skipped (FOR UPDATE SKIP LOCKED).
   */
  claimDeliveries(limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]>;
  /** Keeps a payload read at the first attempt (chat:created), so retries send the same. */
  setDeliveryData(deliveryId: string, data: unknown): Promise<void>;
  /**
   * Writes attempts' results in one statement; a result whose attempt is no longer the
   * delivery's latest (its lease ran out and another node retried) is dropped.
   */
  finishDeliveries(results: readonly DeliveryResult[]): Promise<void>;
  /** Removes up to `limit` deliveries settled (delivered or given up) before `before`. */
  purgeDeliveries(before: Date, limit: number): Promise<number>;
}
