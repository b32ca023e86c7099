/** The messages part of the storage port: the append path, changes, history and catch-up. */
import type { Chat, ChatMember, Message } from "@charla/protocol";
import type { AuditRecord } from "./moderation-store.ts";

export interface NewMessage {
  id: string;
  chat_id: string;
  sender_id: string;
  body: string;
  client_msg_id: string | null;
  /** The message this one answers (checked by the caller: same chat, not deleted). */
  reply_to_id?: string | null;
  /** Users mentioned in the body. */
  mentions?: readonly string[];
}

/** What a send produced: the stored message, or the original when client_msg_id repeated. */
export type AppendResult =
  | { kind: "stored"; message: Message }
  | { kind: "duplicate"; message: Message }
  | { kind: "not_member" };

export interface MessageAccess {
  message: Message;
  /** The caller's role in the message's chat, or null when not a member. */
  callerRole: ChatMember["role"] | null;
  chatType: Chat["type"];
}

/** Where a history page starts: the newest, below `before_seq`, or above `after_seq`. */
export interface HistoryCursor {
  limit: number;
  before_seq?: number | undefined;
  after_seq?: number | undefined;
}

export interface HistoryPage {
  messages: Message[];
  has_more: boolean;
}

export interface MessageStore {
  /**
   * Stores messages, each in its chat's next seq, in one transaction: all or none commit.
   * A sender who is not a member of the chat stores nothing (`not_member`).
   */
  append(batch: readonly NewMessage[]): Promise<AppendResult[]>;
  /**
   * Stores one message with attachments, in one transaction with attaching them: each must
   * be the sender's, ready and not attached yet, or nothing is stored (AttachmentsUnavailable).
   * A repeated client_msg_id answers the original and attaches nothing.
   */
  appendWithAttachments(
    message: NewMessage,
    attachmentIds: readonly string[],
  ): Promise<AppendResult>;
  findForAccess(messageId: string, callerId: string): Promise<MessageAccess | undefined>;
  /**
   * Edits a live message (its mentions with it); undefined when it is gone (deleted or
   * missing). The quotes of its replies follow.
   */
  edit(messageId: string, body: string, mentions?: readonly string[]): Promise<Message | undefined>;
  /**
   * Deletes a live message (its body is cleared, its replies' quotes emptied); undefined when
   * it is gone. With `audit` (an admin's takedown), the entry commits in the same statement.
   */
  delete(messageId: string, audit?: AuditRecord): Promise<Message | undefined>;
  /**
   * Deletes every live message the user sent, in every chat (a closed account that asked for
   * its messages to be erased); each takes its chat's next change_seq. The deleted messages.
   */
  deleteAllBySender(senderId: string): Promise<Message[]>;
  /** A page of the chat's messages, ascending by seq. */
  history(chatId: string, cursor: HistoryCursor): Promise<HistoryPage>;
  /**
   * Live messages of the caller's chats (or of `chatId`) containing every word of `text`
   * (case- and accent-insensitive, whole words), newest first, older than `beforeId`.
   */
  search(
    callerId: string,
    text: string,
    options: { chatId?: string | undefined; beforeId?: string | undefined; limit: number },
  ): Promise<HistoryPage>;
  /** Messages of a chat changed (sent, edited, deleted) after a change_seq, in change order. */
  changesSince(chatId: string, afterChangeSeq: number, limit: number): Promise<HistoryPage>;
  /**
   * `changesSince` for every chat the user is a member of, in ONE statement whatever the
   * number of chats: from `after.get(chatId)` (0 when absent), at most `limit` per chat, in
   * chat id order. Calls made together (a reconnect storm) may share that statement, never
   * one that started before the call.
   */
  changesForMember(
    userId: string,
    after: ReadonlyMap<string, number>,
    limit: number,
  ): Promise<Array<{ chat_id: string } & HistoryPage>>;
}
