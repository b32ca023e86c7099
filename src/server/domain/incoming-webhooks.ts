/**
 * Incoming webhooks: a group's owner or admins make a secret URL through which other software
 * posts into the group, as the webhook's own bot user (a member of the group), through the
 * very send path users take (group commit, broadcast, sync). The URL's secret is shown once
 * and only its SHA-256 is stored; each webhook has its own rate limit.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { ChatError } from "@charla/protocol/errors";
import { WEBHOOK_NAME_MAX } from "@charla/protocol/limits";
import type { IncomingWebhook, IncomingWebhookWithUrl, Message } from "@charla/protocol/schemas";
import type { AuditRecord } from "../storage/moderation-store.ts";
import type { Store } from "../storage/store.ts";
import type { ChatEvents } from "./events.ts";
import type { MessageService } from "./messages.ts";
import { requireGroupManager } from "./roles.ts";
import { hashSecret, newSecret, secretMatches } from "./secrets.ts";

const NO_SUCH_CHAT = "No such chat.";
const NO_SUCH_WEBHOOK = "No such webhook.";
/** What an incoming webhook's secret starts with, so a leaked one is recognisable. */
const SECRET_PREFIX = "whk_";

/**
 * The audit entry of a change to a group's incoming webhooks. Its target is the group (the
 * chat a new poster can write into, or no longer can): the webhook itself is gone once
 * deleted, and nothing would then tell which group it wrote into.
 */
export function incomingWebhookAudit(
  actorId: string,
  action: "webhook.incoming.create" | "webhook.incoming.delete",
  chatId: string,
): AuditRecord {
  return { id: randomUUID(), actor_id: actorId, action, target_type: "chat", target_id: chatId };
}

/** Where a webhook's secret goes: POST here with `{ text }`. */
export function incomingWebhookUrl(origin: string, secret: string): string {
  return `${origin}/api/hooks/${secret}`;
}

function normalizeName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0 || [...name].length > WEBHOOK_NAME_MAX) {
    throw new ChatError(
      "VALIDATION_ERROR",
      `A webhook's name has 1–${WEBHOOK_NAME_MAX} characters after trimming.`,
    );
  }
  return name;
}

export function createIncomingWebhookService(deps: {
  store: Store;
  messages: MessageService;
  events: Pick<ChatEvents, "memberAdded" | "memberRemoved">;
  /** Takes one post from the webhook's budget, or throws RATE_LIMITED. */
  spendPost: (webhookId: string) => Promise<void>;
}) {
  const { store, messages, events } = deps;

  /** The chat, when the caller may manage its webhooks (NOT_FOUND for non-members). */
  async function managedChat(callerId: string, chatId: string, action: string) {
    const chat = await store.chats.get(chatId);
    if (!chat || !chat.members.some((m) => m.user_id === callerId)) {
      throw new ChatError("NOT_FOUND", NO_SUCH_CHAT);
    }
    requireGroupManager(chat, callerId, action);
    return chat;
  }

  return {
    async create(
      callerId: string,
      chatId: string,
      rawName: string,
      origin: string,
    ): Promise<IncomingWebhookWithUrl> {
      const name = normalizeName(rawName);
      await managedChat(callerId, chatId, "add webhooks");
      const secret = newSecret(SECRET_PREFIX);
      const id = randomUUID();
      const webhook = await store.webhooks.createIncoming(
        {
          id,
          name,
          chat_id: chatId,
          created_by: callerId,
          token_hash: hashSecret(secret),
          // A random name that cannot collide with a person's in practice; the webhook's
          // name is shown as the bot's display name.
          bot: { id: randomUUID(), username: `webhook-${randomBytes(6).toString("hex")}` },
        },
        incomingWebhookAudit(callerId, "webhook.incoming.create", chatId),
      );
      const chat = await store.chats.get(chatId);
      if (chat) events.memberAdded(chat, webhook.bot_id);
      return { ...webhook, url: incomingWebhookUrl(origin, secret) };
    },

    async list(callerId: string, chatId: string): Promise<IncomingWebhook[]> {
      await managedChat(callerId, chatId, "see its webhooks");
      return store.webhooks.listIncoming(chatId);
    },

    async remove(callerId: string, chatId: string, webhookId: string): Promise<void> {
      await managedChat(callerId, chatId, "delete webhooks");
      const webhook = await store.webhooks.deleteIncoming(
        chatId,
        webhookId,
        incomingWebhookAudit(callerId, "webhook.incoming.delete", chatId),
      );
      if (!webhook) throw new ChatError("NOT_FOUND", NO_SUCH_WEBHOOK);
      events.memberRemoved(chatId, webhook.bot_id);
    },

    /**
     * A post through the secret URL: `text` sent into the chat as the webhook's bot. An
     * unknown or deleted webhook is NOT_FOUND (the URL tells nothing else).
     */
    async post(secret: string, text: string): Promise<Message> {
      const found = secret.startsWith(SECRET_PREFIX)
        ? await store.webhooks.findIncomingByTokenHash(hashSecret(secret))
        : undefined;
      if (!found || !secretMatches(secret, found.tokenHash)) {
        throw new ChatError("NOT_FOUND", NO_SUCH_WEBHOOK);
      }
      await deps.spendPost(found.webhook.id);
      const { message } = await messages.send(found.webhook.bot_id, {
        chat_id: found.webhook.chat_id,
        body: text,
      });
      return message;
    },
  };
}

export type IncomingWebhookService = ReturnType<typeof createIncomingWebhookService>;
