/**
 * The storage port: everything the domain asks of the database. One implementation
 * (`SqlStore`) holds the SQL, written once; the backends (PGlite, PostgreSQL) only provide
 * a `SqlDriver`. The contract test suite (test/server/storage/) runs against each backend.
 */
import type { Chat, ChatListItem, Message, MemberRole } from "@charla/protocol";
import type { Static } from "@sinclair/typebox";

export interface StoredUser {
  id: string;
  username: string;
  password_hash: string;
  token_version: number;
  created_at: string;
}

export interface NewMessage {
  id: string;
  chat_id: string;
  sender_id: string;
  body: string;
  client_msg_id: string | null;
}

/** What a send produced: the stored message, or the original when client_msg_id repeated. */
export type AppendResult =
  | { kind: "stored"; message: Message }
  | { kind: "duplicate"; message: Message }
  | { kind: "not_member" };

export interface MessageAccess {
  message: Message;
  /** The caller's role in the message's chat, or null when not a member. */
  callerRole: Static<typeof MemberRole> | null;
  chatType: "direct" | "group";
}

export interface HistoryPage {
  messages: Message[];
  has_more: boolean;
}

export interface Store {
  createUser(user: { id: string; username: string; password_hash: string }): Promise<StoredUser>;
  findUserByUsername(username: string): Promise<StoredUser | undefined>;
  findUserById(id: string): Promise<StoredUser | undefined>;
  /** The user and the ids of their chats, in one round trip (socket handshakes). */
  findUserWithChats(id: string): Promise<{ user: StoredUser; chatIds: string[] } | undefined>;
  findUsersByIds(ids: readonly string[]): Promise<StoredUser[]>;
  searchUsers(query: string, limit: number): Promise<StoredUser[]>;
  bumpTokenVersion(userId: string): Promise<void>;

  createChat(chat: {
    id: string;
    type: "direct" | "group";
    name: string | null;
    created_by: string;
    direct_key: string | null;
    member_ids: readonly string[];
  }): Promise<Chat>;
  findDirectChat(directKey: string): Promise<Chat | undefined>;
  getChat(chatId: string): Promise<Chat | undefined>;
  listChatsOf(userId: string): Promise<ChatListItem[]>;
  chatIdsOf(userId: string): Promise<string[]>;
  /** The user's role in the chat, or undefined when not a member (or no such chat). */
  memberRole(chatId: string, userId: string): Promise<"owner" | "member" | undefined>;
  addMember(chatId: string, userId: string): Promise<boolean>;
  removeMember(chatId: string, userId: string): Promise<boolean>;

  /**
   * Stores messages, each in its chat's next seq, in one transaction: all or none commit.
   * A sender who is not a member of the chat stores nothing (`not_member`).
   */
  appendMessages(batch: readonly NewMessage[]): Promise<AppendResult[]>;
  findMessageForAccess(messageId: string, callerId: string): Promise<MessageAccess | undefined>;
  /** Edits a live message; undefined when it is gone (deleted or missing). */
  editMessage(messageId: string, body: string): Promise<Message | undefined>;
  deleteMessage(messageId: string): Promise<Message | undefined>;
  history(
    chatId: string,
    page: { limit: number; before_seq?: number | undefined; after_seq?: number | undefined },
  ): Promise<HistoryPage>;
  /** Messages of a chat changed (sent, edited, deleted) after a change_seq, in change order. */
  changesSince(chatId: string, afterChangeSeq: number, limit: number): Promise<HistoryPage>;
  /** Moves the member's read position forward (never back, never past the last message). */
  markRead(chatId: string, userId: string, seq: number): Promise<number | undefined>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
