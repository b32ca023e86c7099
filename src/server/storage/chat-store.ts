/** The chats part of the storage port: chats, their members and read positions. */
import type { Chat, ChatListItem, ChatMember } from "@charla/protocol";

export interface NewChat {
  id: string;
  type: Chat["type"];
  name: string | null;
  created_by: string;
  /** "smaller-id:larger-id" for a direct chat (a pair has at most one), null for a group. */
  direct_key: string | null;
  /** The members besides `created_by`, who becomes the owner. */
  member_ids: readonly string[];
}

export interface ChatStore {
  /** Throws DirectChatExists when the pair's direct chat was created meanwhile. */
  create(chat: NewChat): Promise<Chat>;
  findDirect(directKey: string): Promise<Chat | undefined>;
  get(chatId: string): Promise<Chat | undefined>;
  /** The user's chats, most recent activity first, with last message and unread count. */
  listOf(userId: string): Promise<ChatListItem[]>;
  idsOf(userId: string): Promise<string[]>;
  /** The chats of each of these users (users in no chat are absent), in one round trip. */
  idsOfUsers(userIds: readonly string[]): Promise<Map<string, string[]>>;
  /** The user's contacts: every other user sharing at least one chat with them, once each. */
  contactIdsOf(userId: string): Promise<string[]>;
  /** The user's role in the chat, or undefined when not a member (or no such chat). */
  memberRole(chatId: string, userId: string): Promise<ChatMember["role"] | undefined>;
  /** False when the user is a member already. */
  addMember(chatId: string, userId: string): Promise<boolean>;
  /** False when the user is not a member. Never changes the owner. */
  setRole(chatId: string, userId: string, role: "admin" | "member"): Promise<boolean>;
  /** False when the user was not a member; an owner who leaves hands the group on. */
  removeMember(chatId: string, userId: string): Promise<boolean>;
  /** Changes a chat's name and/or description (undefined: unchanged, null: cleared). */
  update(
    chatId: string,
    changes: { name?: string | null; description?: string | null },
  ): Promise<Chat | undefined>;
  /** Sets the member's mute; false when not a member. */
  setMuted(chatId: string, userId: string, muted: boolean): Promise<boolean>;
  /**
   * Moves the member's read position forward (never back, never past the last message);
   * the position after the move, or undefined when not a member.
   */
  markRead(chatId: string, userId: string, seq: number): Promise<number | undefined>;
}
