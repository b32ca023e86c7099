/**
 * Catch-up and exactly-once delivery. The client remembers the highest `change_seq` it has
 * seen per chat; after every (re)connect it asks `sync` for what changed since, page by
 * page. Every message change (live, acknowledged, or caught up) goes through one log that
 * delivers it once: an older state of a message that arrives after a newer one is dropped.
 * This does not depend on Socket.IO's connection state recovery, so it also works after a
 * node died or days later.
 */
import { ChatError, isErrorCode } from "#protocol/errors";
import type { Message, MessageDeletedEvent, Reactions } from "#protocol/schemas";
import type { CommandSender } from "./commands.ts";
import type { Emitter } from "./emitter.ts";
import type { ChatClientEvents } from "./events.ts";

/** Ids remembered for deduplication; a change older than that is not expected again. */
const MAX_DELIVERED_IDS = 100_000;

export interface ChangeLog {
  /** A message seen for the first time. */
  deliverNew(message: Message): void;
  /** A later state of a message: an edit, or a delete when its status says so. */
  deliverUpdate(message: Message): void;
  deliverDelete(event: MessageDeletedEvent): void;
  /** A message's new reactions (a change of the message, with its change_seq). */
  deliverReactions(event: Reactions): void;
  /** Records messages the app already has, so they are not delivered again. */
  seen(messages: readonly Message[]): void;
  /** Starts following a chat from `afterChangeSeq` (never moves a cursor back). */
  track(chatId: string, afterChangeSeq: number): void;
  /** Follows a chat that was just created, from its beginning. */
  follow(chatId: string): void;
  cursors(): Record<string, number>;
  /**
   * Catches up every known chat; resolves true once nothing is left, false when it was
   * cut short (`isCurrent()` turned false, or the connection dropped: the next connect
   * starts again).
   */
  catchUp(isCurrent: () => boolean): Promise<boolean>;
}

export interface ChangeLogOptions {
  events: Emitter<ChatClientEvents>;
  commands: CommandSender;
  isConnected: () => boolean;
  since: Record<string, number> | undefined;
  syncLimit: number | undefined;
}

export function createChangeLog(options: ChangeLogOptions): ChangeLog {
  const { events, commands } = options;
  /** Highest change_seq seen per chat: the catch-up cursor. */
  const cursorByChat = new Map<string, number>(Object.entries(options.since ?? {}));
  /** message id → highest change_seq delivered, so each change is delivered once. */
  const deliveredById = new Map<string, number>();

  function advance(chatId: string, changeSeq: number): void {
    if (changeSeq > (cursorByChat.get(chatId) ?? -1)) cursorByChat.set(chatId, changeSeq);
  }

  /** Records a change; false when it (or a later change of that message) was delivered. */
  function record(id: string, chatId: string, changeSeq: number | undefined): boolean {
    const previous = deliveredById.get(id);
    if (changeSeq === undefined) return previous === undefined;
    if (previous !== undefined && changeSeq <= previous) return false;
    if (previous === undefined && deliveredById.size >= MAX_DELIVERED_IDS) {
      const oldest = deliveredById.keys().next().value;
      if (oldest !== undefined) deliveredById.delete(oldest);
    }
    deliveredById.set(id, changeSeq);
    advance(chatId, changeSeq);
    return true;
  }

  function deliverNew(message: Message): void {
    if (record(message.id, message.chat_id, message.change_seq)) {
      events.emit("message:send", message);
    }
  }

  function deliverDelete(event: MessageDeletedEvent): void {
    if (record(event.id, event.chat_id, event.change_seq)) events.emit("message:delete", event);
  }

  function deliverReactions(event: Reactions): void {
    if (record(event.message_id, event.chat_id, event.change_seq)) {
      events.emit("message:reactions", event);
    }
  }

  function deliverUpdate(message: Message): void {
    if (message.status === "deleted") {
      const { id, chat_id, seq, change_seq } = message;
      return deliverDelete({ id, chat_id, seq, change_seq });
    }
    if (record(message.id, message.chat_id, message.change_seq)) {
      events.emit("message:update", message);
    }
  }

  /** A message state from catch-up: new, edited or deleted, depending on what was seen. */
  function deliverCaughtUp(message: Message): void {
    if (!deliveredById.has(message.id)) return deliverNew(message);
    deliverUpdate(message);
  }

  async function catchUp(isCurrent: () => boolean): Promise<boolean> {
    // Its own cursors, so a live event that jumps ahead does not skip a page.
    const pageCursor = new Map(cursorByChat);
    for (;;) {
      if (!isCurrent() || !options.isConnected()) return false;
      // Every known chat is listed each round: the server catches up unlisted chats from 0.
      const chats = [...pageCursor].map(([chat_id, after_change_seq]) => ({
        chat_id,
        after_change_seq,
      }));
      const payload = options.syncLimit ? { chats, limit: options.syncLimit } : { chats };
      const result = await commands.attempt("sync", payload);
      if (!isCurrent()) return false;
      if (result === "retry") {
        if (!options.isConnected()) return false;
        continue;
      }
      if (!result.ok) {
        const code = isErrorCode(result.error.code) ? result.error.code : "INTERNAL";
        events.emit("error", new ChatError(code, result.error.message));
        return false;
      }
      let more = false;
      for (const chat of result.chats) {
        const messages = [...chat.messages].sort((a, b) => a.change_seq - b.change_seq);
        let cursor = pageCursor.get(chat.chat_id) ?? 0;
        for (const message of messages) {
          deliverCaughtUp(message);
          cursor = Math.max(cursor, message.change_seq);
        }
        pageCursor.set(chat.chat_id, cursor);
        advance(chat.chat_id, cursor);
        if (chat.has_more && messages.length > 0) more = true;
      }
      if (!more) return true;
    }
  }

  return {
    deliverNew,
    deliverUpdate,
    deliverDelete,
    deliverReactions,
    seen(messages) {
      for (const message of messages) record(message.id, message.chat_id, message.change_seq);
    },
    track: advance,
    follow(chatId) {
      if (!cursorByChat.has(chatId)) cursorByChat.set(chatId, 0);
    },
    cursors: () => Object.fromEntries(cursorByChat),
    catchUp,
  };
}
