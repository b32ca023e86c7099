/**
 * Outgoing webhooks: a server admin registers a URL, the events it wants and a secret; each
 * such event, once committed, is POSTed there signed with HMAC-SHA256 (webhooks/dispatcher.ts
 * sends them from the queue the database keeps). URLs on loopback or private addresses are
 * refused unless WEBHOOK_ALLOW_PRIVATE=1.
 */
import { randomUUID } from "node:crypto";
import { ChatError } from "@charla/protocol/errors";
import type {
  CreateOutgoingWebhook,
  OutgoingWebhook,
  WebhookDelivery,
  WebhookEvent,
} from "@charla/protocol/schemas";
import type { Store } from "../storage/store.ts";
import type { StoredDelivery, StoredOutgoingWebhook } from "../storage/webhook-store.ts";
import type { AuthenticatedUser } from "./auth.ts";
import { requireServerAdmin } from "./roles.ts";

const NO_SUCH_WEBHOOK = "No such webhook.";
const DEFAULT_LIMIT = 50;

function toWebhook(stored: StoredOutgoingWebhook): OutgoingWebhook {
  return { ...stored, events: stored.events as WebhookEvent[] };
}

function toDelivery(stored: StoredDelivery): WebhookDelivery {
  return {
    delivery_id: stored.id,
    event: stored.event as WebhookEvent,
    chat_id: stored.chat_id,
    attempts: stored.attempts,
    last_status: stored.last_status,
    last_error: stored.last_error,
    delivered_at: stored.delivered_at,
    next_attempt_at: stored.next_attempt_at,
    created_at: stored.created_at,
  };
}

export function createOutgoingWebhookService(deps: {
  store: Store;
  /** What is wrong with a URL (not http(s), private address…), or undefined. */
  problemWithUrl: (url: string) => Promise<string | undefined>;
  seal: (secret: string) => string;
  /** Told after a webhook is added or removed (the dispatcher wakes for local commits). */
  onChange: () => void;
}) {
  const { store } = deps;
  const audit = (caller: AuthenticatedUser, action: string, webhookId: string) => ({
    id: randomUUID(),
    actor_id: caller.id,
    action,
    target_type: "webhook",
    target_id: webhookId,
  });

  async function requireWebhook(webhookId: string): Promise<StoredOutgoingWebhook> {
    const webhook = await store.webhooks.findOutgoing(webhookId);
    if (!webhook) throw new ChatError("NOT_FOUND", NO_SUCH_WEBHOOK);
    return webhook;
  }

  return {
    async create(
      caller: AuthenticatedUser,
      input: CreateOutgoingWebhook,
    ): Promise<OutgoingWebhook> {
      requireServerAdmin(caller);
      const problem = await deps.problemWithUrl(input.url);
      if (problem) throw new ChatError("VALIDATION_ERROR", problem);
      const id = randomUUID();
      const webhook = await store.webhooks.createOutgoing(
        {
          id,
          url: input.url,
          events: [...new Set(input.events)],
          secret_sealed: deps.seal(input.secret),
          created_by: caller.id,
        },
        audit(caller, "webhook.outgoing.create", id),
      );
      deps.onChange();
      return toWebhook(webhook);
    },

    async list(caller: AuthenticatedUser): Promise<OutgoingWebhook[]> {
      requireServerAdmin(caller);
      return (await store.webhooks.listOutgoing()).map(toWebhook);
    },

    /** Removes the webhook and whatever of its queue was not delivered yet. */
    async remove(caller: AuthenticatedUser, webhookId: string): Promise<void> {
      requireServerAdmin(caller);
      const removed = await store.webhooks.deleteOutgoing(
        webhookId,
        audit(caller, "webhook.outgoing.delete", webhookId),
      );
      if (!removed) throw new ChatError("NOT_FOUND", NO_SUCH_WEBHOOK);
      deps.onChange();
    },

    async deliveries(
      caller: AuthenticatedUser,
      webhookId: string,
      limit = DEFAULT_LIMIT,
    ): Promise<WebhookDelivery[]> {
      requireServerAdmin(caller);
      await requireWebhook(webhookId);
      return (await store.webhooks.deliveries(webhookId, limit)).map(toDelivery);
    },
  };
}

export type OutgoingWebhookService = ReturnType<typeof createOutgoingWebhookService>;
