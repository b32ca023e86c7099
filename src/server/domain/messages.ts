/**
 * Messages: the rules of sending, editing and deleting, history and catch-up. Every change
 * is committed before it is announced (ChatEvents) or acknowledged (the return value).
 */
import { randomUUID } from "node:crypto";
import { ChatError } from "@charla/protocol/errors";
import {
  MESSAGE_BODY_MAX,
  type HistoryQuery,
  type SearchQuery,
  type SearchResults,
  type Message,
  type MessageSendPayload,
  type SyncPayload,
  type SyncResult,
} from "@charla/protocol/schemas";
import type { GroupCommit } from "../storage/group-commit.ts";
import type { HistoryPage } from "../storage/message-store.ts";
import { AttachmentsUnavailable, SendBlocked } from "../storage/errors.ts";
import type { Store } from "../storage/store.ts";
import type { ChatEvents } from "./events.ts";
import { findMentions } from "./mentions.ts";
import { canManageGroup } from "./roles.ts";

const NO_SUCH_MESSAGE = "No such message.";
const NO_SUCH_CHAT = "No such chat.";
const HISTORY_DEFAULT_LIMIT = 50;
const SYNC_DEFAULT_LIMIT = 200;
const SEARCH_DEFAULT_LIMIT = 20;

/**
 * The body as stored: trimmed, 1–4000 characters (code points, so emoji count once); with
 * attachments it may be empty.
 */
export function normaliseBody(body: string, mayBeEmpty = false): string {
  const trimmed = body.trim();
  if (trimmed.length === 0 && !mayBeEmpty) {
    throw new ChatError("VALIDATION_ERROR", "The message is empty (send a body or attachments).");
  }
  // Counting code points is only needed when UTF-16 length could exceed the limit.
  if (trimmed.length > MESSAGE_BODY_MAX && [...trimmed].length > MESSAGE_BODY_MAX) {
    throw new ChatError(
      "VALIDATION_ERROR",
      `A message has at most ${MESSAGE_BODY_MAX} characters.`,
    );
  }
  return trimmed;
}

export interface SendResult {
  message: Message;
  /** True when client_msg_id repeated an earlier send: nothing new was stored or broadcast. */
  duplicate: boolean;
}

export function createMessageService(deps: {
  store: Store;
  commits: GroupCommit;
  events: ChatEvents;
}) {
  const { store, commits, events } = deps;

  async function requireMember(callerId: string, chatId: string) {
    const role = await store.chats.memberRole(chatId, callerId);
    if (!role) throw new ChatError("NOT_FOUND", NO_SUCH_CHAT);
    return role;
  }

  /** Who the body mentions among the chat's members (a lookup only when it has an `@`). */
  async function mentionsIn(chatId: string, body: string): Promise<string[]> {
    if (!body.includes("@")) return [];
    const chat = await store.chats.get(chatId);
    return chat ? findMentions(body, chat.members) : [];
  }

  /** The message a reply answers: one of the same chat the caller may see, not deleted. */
  async function requireOriginal(callerId: string, chatId: string, replyToId: string) {
    const access = await store.messages.findForAccess(replyToId, callerId);
    if (
      !access ||
      access.callerRole === null ||
      access.message.chat_id !== chatId ||
      access.message.status === "deleted"
    ) {
      throw new ChatError("NOT_FOUND", "No such message to reply to.");
    }
  }

  /** The message, when the caller may see it and it is not deleted. */
  async function visibleMessage(callerId: string, messageId: string) {
    const access = await store.messages.findForAccess(messageId, callerId);
    if (!access || access.callerRole === null || access.message.status === "deleted") {
      throw new ChatError("NOT_FOUND", NO_SUCH_MESSAGE);
    }
    return access;
  }

  return {
    async send(callerId: string, input: Omit<MessageSendPayload, "status">): Promise<SendResult> {
      if (input.sender_id !== undefined && input.sender_id !== callerId) {
        throw new ChatError("FORBIDDEN", "sender_id must be your own user id.");
      }
      const attachmentIds = (input.attachment_ids ?? []).map((id) => id.toLowerCase());
      const body = normaliseBody(input.body ?? "", attachmentIds.length > 0);
      const replyToId = input.reply_to_id?.toLowerCase() ?? null;
      if (replyToId !== null) await requireOriginal(callerId, input.chat_id, replyToId);
      const message = {
        id: randomUUID(),
        chat_id: input.chat_id,
        sender_id: callerId,
        body,
        client_msg_id: input.client_msg_id ?? null,
        reply_to_id: replyToId,
        mentions: await mentionsIn(input.chat_id, body),
      };
      // Sends with attachments attach them in their own transaction; the rest go together
      // through the group commit.
      const result = await (
        attachmentIds.length > 0
          ? store.messages.appendWithAttachments(message, attachmentIds)
          : commits.append(message)
      ).catch((error: unknown) => {
        if (error instanceof SendBlocked) {
          throw new ChatError("FORBIDDEN", "You cannot send into this chat: you are blocked.");
        }
        if (error instanceof AttachmentsUnavailable) {
          throw new ChatError("NOT_FOUND", "No such upload (or it is attached already).");
        }
        throw error;
      });
      if (result.kind === "not_member") throw new ChatError("NOT_FOUND", NO_SUCH_CHAT);
      if (result.kind === "stored") events.messageSent(result.message);
      return { message: result.message, duplicate: result.kind === "duplicate" };
    },

    async edit(callerId: string, messageId: string, body: string): Promise<Message> {
      const text = normaliseBody(body);
      const { message } = await visibleMessage(callerId, messageId);
      if (message.sender_id !== callerId) {
        throw new ChatError("FORBIDDEN", "Only the sender may edit a message.");
      }
      const edited = await store.messages.edit(
        messageId,
        text,
        await mentionsIn(message.chat_id, text),
      );
      if (!edited) throw new ChatError("NOT_FOUND", NO_SUCH_MESSAGE);
      events.messageUpdated(edited);
      return edited;
    },

    async remove(callerId: string, messageId: string): Promise<Message> {
      const { message, callerRole, chatType } = await visibleMessage(callerId, messageId);
      if (message.sender_id !== callerId && !(chatType === "group" && canManageGroup(callerRole))) {
        throw new ChatError(
          "FORBIDDEN",
          "Only the sender, or the group's owner or an admin, may delete a message.",
        );
      }
      const deleted = await store.messages.delete(messageId);
      if (!deleted) throw new ChatError("NOT_FOUND", NO_SUCH_MESSAGE);
      events.messageDeleted(deleted);
      return deleted;
    },

    /** Messages of the caller's chats with every word of `q`, newest first. */
    async search(callerId: string, query: SearchQuery): Promise<SearchResults> {
      const text = query.q.normalize("NFC").trim();
      if (!/[\p{L}\p{N}]/u.test(text)) {
        throw new ChatError("VALIDATION_ERROR", "Search for at least one word.");
      }
      if (query.chat_id !== undefined) await requireMember(callerId, query.chat_id);
      const page = await store.messages.search(callerId, text, {
        chatId: query.chat_id,
        beforeId: query.before,
        limit: query.limit ?? SEARCH_DEFAULT_LIMIT,
      });
      return {
        results: page.messages.map((message) => ({ message, chat_id: message.chat_id })),
        has_more: page.has_more,
      };
    },

    async history(callerId: string, chatId: string, query: HistoryQuery): Promise<HistoryPage> {
      await requireMember(callerId, chatId);
      return store.messages.history(chatId, {
        limit: query.limit ?? HISTORY_DEFAULT_LIMIT,
        before_seq: query.before_seq,
        after_seq: query.after_seq,
      });
    },

    /**
     * Everything changed in the caller's chats since the given cursors, each message once in
     * its current state, in change order. Chats not listed are caught up from the start;
     * listed chats the caller is not a member of are left out.
     */
    async sync(callerId: string, input: SyncPayload): Promise<SyncResult> {
      const limit = input.limit ?? SYNC_DEFAULT_LIMIT;
      const after = new Map<string, number>();
      for (const { chat_id, after_change_seq } of input.chats ?? []) {
        after.set(chat_id, after_change_seq);
      }
      // One statement for every chat of the caller (a user in 2,000 chats costs one query,
      // not 2,000 at once); chats listed that the caller is not in are left out by it.
      return { chats: await store.messages.changesForMember(callerId, after, limit) };
    },
  };
}

export type MessageService = ReturnType<typeof createMessageService>;
