/** Chats and membership: who may see, join and leave a chat. */
import { randomUUID } from "node:crypto";
import { ChatError } from "@charla/protocol/errors";
import type { Chat, ChatListItem, CreateChat, PatchChat } from "@charla/protocol/schemas";
import { DirectChatExists } from "../storage/errors.ts";
import type { Store } from "../storage/store.ts";
import type { ChatEvents } from "./events.ts";
import { incomingWebhookAudit } from "./incoming-webhooks.ts";
import { requireGroupManager } from "./roles.ts";

const NO_SUCH_CHAT = "No such chat.";

export function createChatService({ store, events }: { store: Store; events: ChatEvents }) {
  /** The chat, if the caller is a member; NOT_FOUND otherwise so ids cannot be probed. */
  async function visibleChat(callerId: string, chatId: string): Promise<Chat> {
    const chat = await store.chats.get(chatId);
    if (!chat || !chat.members.some((m) => m.user_id === callerId)) {
      throw new ChatError("NOT_FOUND", NO_SUCH_CHAT);
    }
    return chat;
  }

  /** Every id names a live account (a closed one cannot be added to anything). */
  async function requireUsers(ids: readonly string[]) {
    const found = (await store.users.findByIds(ids)).filter((user) => user.deleted_at === null);
    const missing = ids.filter((id) => !found.some((user) => user.id === id));
    if (missing.length > 0)
      throw new ChatError("NOT_FOUND", "No such user.", { user_ids: missing });
  }

  /** A direct chat one of the two left is both of theirs again when either opens it. */
  async function rejoinDirect(chat: Chat, pair: readonly string[]): Promise<Chat> {
    const missing = pair.filter((id) => !chat.members.some((m) => m.user_id === id));
    if (missing.length === 0) return chat;
    for (const id of missing) await store.chats.addMember(chat.id, id);
    const updated = (await store.chats.get(chat.id))!;
    for (const id of missing) events.memberAdded(updated, id);
    return updated;
  }

  return {
    visibleChat,

    /** Creates a chat; for a direct chat that exists already, returns it with `created: false`. */
    async create(callerId: string, input: CreateChat): Promise<{ chat: Chat; created: boolean }> {
      const others = [...new Set(input.member_ids)].filter((id) => id !== callerId);
      let directKey: string | null = null;
      if (input.type === "direct") {
        if (others.length !== 1) {
          throw new ChatError("VALIDATION_ERROR", "A direct chat takes exactly one other user.");
        }
        // A blocked user cannot open the direct chat with the blocker, even one that exists.
        if (await store.blocks.blocks(others[0]!, callerId)) {
          throw new ChatError("FORBIDDEN", "This user has blocked you.");
        }
        directKey = [callerId, others[0]!].sort().join(":");
        await requireUsers(others);
        const existing = await store.chats.findDirect(directKey);
        if (existing) {
          return { chat: await rejoinDirect(existing, [callerId, others[0]!]), created: false };
        }
      }
      await requireUsers(others);
      try {
        const chat = await store.chats.create({
          id: randomUUID(),
          type: input.type,
          name: input.type === "group" ? input.name?.trim() || null : null,
          created_by: callerId,
          direct_key: directKey,
          member_ids: others,
        });
        events.chatCreated(chat);
        return { chat, created: true };
      } catch (error) {
        // Both users opened the direct chat at the same moment: the other request won.
        if (error instanceof DirectChatExists) {
          const existing = await store.chats.findDirect(error.directKey);
          if (existing) {
            return { chat: await rejoinDirect(existing, [callerId, others[0]!]), created: false };
          }
        }
        throw error;
      }
    },

    list(callerId: string): Promise<ChatListItem[]> {
      return store.chats.listOf(callerId);
    },

    async addMember(callerId: string, chatId: string, userId: string): Promise<Chat> {
      const chat = await visibleChat(callerId, chatId);
      if (chat.type !== "group") {
        throw new ChatError("FORBIDDEN", "A direct chat cannot take more members.");
      }
      requireGroupManager(chat, callerId, "add members");
      await requireUsers([userId]);
      if (!(await store.chats.addMember(chatId, userId))) {
        throw new ChatError("CONFLICT", "That user is a member already.");
      }
      const updated = (await store.chats.get(chatId))!;
      events.memberAdded(updated, userId);
      return updated;
    },

    async removeMember(callerId: string, chatId: string, userId: string): Promise<void> {
      const chat = await visibleChat(callerId, chatId);
      if (callerId !== userId) {
        requireGroupManager(chat, callerId, "remove other members");
        if (chat.members.some((m) => m.user_id === userId && m.role === "owner")) {
          throw new ChatError("FORBIDDEN", "The group's owner cannot be removed.");
        }
      }
      // An incoming webhook's bot leaves with its webhook: once the bot is out, the URL can
      // no longer post (404), so the webhook must not stay listed as if it could.
      const webhook = await store.webhooks.deleteIncomingOfBot(
        chatId,
        userId,
        incomingWebhookAudit(callerId, "webhook.incoming.delete", chatId),
      );
      if (!webhook && !(await store.chats.removeMember(chatId, userId))) {
        throw new ChatError("NOT_FOUND", "That user is not a member.");
      }
      events.memberRemoved(chatId, userId);
    },

    /** Renames or describes a group: its owner or a group admin; never a direct chat. */
    async update(callerId: string, chatId: string, input: PatchChat): Promise<Chat> {
      const chat = await visibleChat(callerId, chatId);
      if (chat.type !== "group") {
        throw new ChatError("FORBIDDEN", "A direct chat has no name or description to change.");
      }
      requireGroupManager(chat, callerId, "change it");
      const changes: { name?: string | null; description?: string | null } = {};
      if (input.name !== undefined) {
        const name = input.name?.trim() ?? null;
        if (name === "") throw new ChatError("VALIDATION_ERROR", "A group's name cannot be blank.");
        changes.name = name;
      }
      if (input.description !== undefined) {
        changes.description = input.description?.trim() || null;
      }
      const updated = await store.chats.update(chatId, changes);
      if (!updated) throw new ChatError("NOT_FOUND", NO_SUCH_CHAT);
      events.chatUpdated(updated);
      return updated;
    },

    /** The caller's own mute of a chat they are a member of. */
    async setMuted(callerId: string, chatId: string, muted: boolean): Promise<{ muted: boolean }> {
      if (!(await store.chats.setMuted(chatId, callerId, muted))) {
        throw new ChatError("NOT_FOUND", NO_SUCH_CHAT);
      }
      return { muted };
    },

    /** The owner makes a member an admin of the group, or an admin a member again. */
    async setRole(
      callerId: string,
      chatId: string,
      userId: string,
      role: "admin" | "member",
    ): Promise<Chat> {
      const chat = await visibleChat(callerId, chatId);
      if (chat.type !== "group") {
        throw new ChatError("FORBIDDEN", "A direct chat has no roles.");
      }
      if (!chat.members.some((m) => m.user_id === callerId && m.role === "owner")) {
        throw new ChatError("FORBIDDEN", "Only the group's owner may change roles.");
      }
      const target = chat.members.find((m) => m.user_id === userId);
      if (!target) throw new ChatError("NOT_FOUND", "That user is not a member.");
      if (target.role === "owner") {
        throw new ChatError("FORBIDDEN", "The owner's role cannot be changed.");
      }
      if (target.role !== role) {
        if (!(await store.chats.setRole(chatId, userId, role))) {
          throw new ChatError("NOT_FOUND", "That user is not a member.");
        }
        events.memberRoleChanged({ chat_id: chatId, user_id: userId, role });
      }
      return (await store.chats.get(chatId))!;
    },

    async markRead(callerId: string, chatId: string, seq: number): Promise<void> {
      const position = await store.chats.markRead(chatId, callerId, seq);
      if (position === undefined) throw new ChatError("NOT_FOUND", NO_SUCH_CHAT);
      events.read({
        chat_id: chatId,
        user_id: callerId,
        seq: position,
        read_at: new Date().toISOString(),
      });
    },
  };
}

export type ChatService = ReturnType<typeof createChatService>;
