/**
 * The real-time half of the client: `connect()` opens a typed Socket.IO connection and
 * wires its parts together: commands with retries (commands.ts), catch-up and exactly-once
 * delivery (catch-up.ts), presence (presence.ts), and here the connection state the UI
 * shows and the promises that wait on it.
 */
import { UNAUTHORIZED_CONNECT_ERROR } from "#protocol/events";
import { ChatError, isErrorCode } from "#protocol/errors";
import type { Message, Reactions } from "#protocol/schemas";
import { io, type ManagerOptions, type SocketOptions } from "socket.io-client";
import { createChangeLog } from "./catch-up.ts";
import {
  createCommandSender,
  type CommandName,
  type CommandPayload,
  type CommandResult,
} from "./commands.ts";
import { Emitter, type Unsubscribe } from "./emitter.ts";
import type { ChatClientEvents, ConnectionState } from "./events.ts";
import { randomId } from "./ids.ts";
import { trackPresence } from "./presence.ts";
import type { ChatSocket } from "./socket.ts";

export interface ConnectOptions {
  /** The server's origin, e.g. `http://localhost:3000`. Omit in a browser to use the page's. */
  url?: string;
  /** The bearer token, or a function returning it (called on every (re)connect). */
  token: string | (() => string | null | undefined);
  /** How long to wait for an acknowledgement before sending again. Default 5000 ms. */
  ackTimeoutMs?: number;
  /**
   * Give up a command after this long (rejecting with `UNAVAILABLE`). Default: never; a
   * send waits across disconnects until the server acknowledges it.
   */
  commandTimeoutMs?: number;
  /** Highest `change_seq` already seen per chat, e.g. saved from a previous session. */
  since?: Record<string, number>;
  /** Changes per chat per `sync` round (the server's default when omitted). */
  syncLimit?: number;
  /**
   * In a browser, drop the connection as soon as the page goes offline (so the state and
   * the banner say so at once) instead of waiting for a ping timeout. Default true.
   */
  watchNetwork?: boolean;
  /** Passed to `socket.io-client`'s `io()` (e.g. `transports`, `path`, `forceNew`). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface SendOptions {
  /** Reuse an id (e.g. one persisted before a crash); default a new UUID. */
  clientMsgId?: string;
  /** Send as a reply to this message (of the same chat). */
  replyToId?: string;
  /**
   * Up to 10 ids from `api.upload(…)`, the caller's and not yet attached; with them `body`
   * may be `""`.
   */
  attachmentIds?: readonly string[];
}

/** A connected chat client. Create with {@link connect}. */
export interface ChatClient {
  /** The underlying typed socket, for anything the wrapper does not cover. */
  readonly socket: ChatSocket;
  readonly state: ConnectionState;
  /** Users online anywhere: `user_id → username`. */
  readonly online: ReadonlyMap<string, string>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends keyof ChatClientEvents>(event: E, listener: ChatClientEvents[E]): Unsubscribe;
  /** Subscribes for the next occurrence only. */
  once<E extends keyof ChatClientEvents>(event: E, listener: ChatClientEvents[E]): Unsubscribe;
  /** Removes a listener added with `on` or `once`. */
  off<E extends keyof ChatClientEvents>(event: E, listener: ChatClientEvents[E]): void;
  /**
   * Sends any command of the contract and resolves with its acknowledgement's fields,
   * typed per event (e.g. `{ ok, message }` for `message:send`). Retried like the methods
   * below; a refusal rejects with a {@link ChatError}.
   */
  emitWithAck<E extends CommandName>(
    event: E,
    payload: CommandPayload<E>,
  ): Promise<CommandResult<E>>;
  /**
   * Sends a message and resolves with the stored message once the server acknowledged it.
   * Retried with the same `client_msg_id` after a timeout or a disconnect, so the server
   * stores it once. Rejects with a {@link ChatError} for a refusal (e.g. `NOT_FOUND`).
   */
  send(chatId: string, body: string, options?: SendOptions): Promise<Message>;
  /** Edits one of the caller's messages. */
  edit(messageId: string, body: string): Promise<Message>;
  /** Deletes a message (the sender's, or any in a group the caller owns). */
  remove(messageId: string): Promise<void>;
  /**
   * Adds the caller's reaction (one emoji, e.g. "👍") to a message and resolves with the
   * message's reactions. Adding it twice changes nothing.
   */
  react(messageId: string, emoji: string): Promise<Reactions>;
  /** Takes back the caller's reaction; resolves with the message's reactions. */
  unreact(messageId: string, emoji: string): Promise<Reactions>;
  /** Tells the chat's other members the caller is (or stopped) typing. Fire and forget. */
  typing(chatId: string, typing: boolean): void;
  /** Stores the caller's read position in a chat. */
  markRead(chatId: string, seq: number): Promise<void>;
  /**
   * Records messages the app already has (e.g. loaded over HTTP), so catch-up does not
   * deliver them again and their chats are caught up from there.
   */
  seen(messages: readonly Message[]): void;
  /** Starts following a chat from `afterChangeSeq` (a chat joined, or loaded over HTTP). */
  track(chatId: string, afterChangeSeq?: number): void;
  /** The highest `change_seq` seen per chat (save it to resume with `since`). */
  cursors(): Record<string, number>;
  /** Resolves once connected and caught up; rejects if the token is refused or on close. */
  ready(): Promise<void>;
  /** Reopens a connection that is `disconnected` (e.g. after a new login). */
  reconnect(): void;
  /** Closes the connection; pending commands reject with `UNAVAILABLE`. Idempotent. */
  close(): void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Opens a typed, self-healing connection to a Charla server.
 *
 * @example
 * ```ts
 * import { connect, createHttpApi } from "@charla/client";
 *
 * const url = "http://localhost:3000";
 * const { token, user } = await createHttpApi(url).login({ username: "ana", password: "…" });
 * const client = connect({ url, token });
 * client.on("message:send", (m) => console.log(`${m.sender_id}: ${m.body}`));
 * client.on("connection:state", (s) => console.log("connection:", s));
 * await client.ready();
 * const message = await client.send(chatId, "¡Hola!"); // resolves once stored
 * await client.edit(message.id, "¡Hola a todos!");
 * client.close();
 * ```
 */
export function connect(options: ConnectOptions): ChatClient {
  const events = new Emitter<ChatClientEvents>();
  let state: ConnectionState = "connecting";
  let closed = false;
  let refused = false;
  /** The server ended the connection (logout, expiry): no retries until reconnect(). */
  let kicked = false;
  /** Bumped on every connect and disconnect, so a catch-up of an older connection stops. */
  let generation = 0;
  let connectWaiters: Waiter[] = [];
  let readyWaiters: Waiter[] = [];
  let caughtUp = false;

  const { token } = options;
  const socketOptions: Partial<ManagerOptions & SocketOptions> = {
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    ...options.socketOptions,
    auth: (cb) => cb({ token: typeof token === "function" ? token() : token }),
  };
  const socket: ChatSocket = options.url ? io(options.url, socketOptions) : io(socketOptions);

  const commands = createCommandSender({
    socket,
    ackTimeoutMs: options.ackTimeoutMs ?? 5000,
    commandTimeoutMs: options.commandTimeoutMs,
    whenConnected,
  });
  const log = createChangeLog({
    events,
    commands,
    isConnected: () => socket.connected,
    since: options.since,
    syncLimit: options.syncLimit,
  });
  const online = trackPresence(socket, events);

  function setState(next: ConnectionState): void {
    if (state === next) return;
    state = next;
    events.emit("connection:state", next);
  }

  function closedError(): ChatError {
    if (refused) return new ChatError("UNAUTHORIZED", "The server refused the token.");
    if (kicked && !closed) {
      return new ChatError("UNAVAILABLE", "The server ended the connection; call reconnect().");
    }
    return new ChatError("UNAVAILABLE", "The client is closed.");
  }

  function failWaiters(error: Error): void {
    for (const waiter of [...connectWaiters, ...readyWaiters]) waiter.reject(error);
    connectWaiters = [];
    readyWaiters = [];
  }

  function whenConnected(): Promise<void> {
    if (closed || refused || kicked) return Promise.reject(closedError());
    if (socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => connectWaiters.push({ resolve, reject }));
  }

  async function catchUp(mine: number): Promise<void> {
    if (!(await log.catchUp(() => mine === generation))) return;
    caughtUp = true;
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    events.emit("connection:synced");
  }

  socket.on("connect", () => {
    generation += 1;
    caughtUp = false;
    setState("connected");
    const waiters = connectWaiters;
    connectWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    void catchUp(generation).catch((error: unknown) => {
      events.emit("error", error instanceof ChatError ? error : new ChatError("INTERNAL"));
    });
  });

  socket.on("disconnect", () => {
    generation += 1;
    caughtUp = false;
    if (closed || refused || !socket.active) {
      setState("disconnected");
      if (!closed && !refused) {
        kicked = true;
        failWaiters(closedError());
      }
    } else {
      setState("reconnecting");
    }
  });

  socket.on("connect_error", (error) => {
    if (error.message === UNAUTHORIZED_CONNECT_ERROR || !socket.active) {
      refused = error.message === UNAUTHORIZED_CONNECT_ERROR;
      setState("disconnected");
      failWaiters(
        refused ? closedError() : new ChatError("UNAVAILABLE", error.message || "Refused."),
      );
      if (refused) events.emit("connection:unauthorized");
    }
  });

  socket.on("message:send", log.deliverNew);
  socket.on("message:update", log.deliverUpdate);
  socket.on("message:delete", log.deliverDelete);
  socket.on("message:reactions", log.deliverReactions);
  socket.on("typing", (event) => events.emit("typing", event));
  socket.on("message:read", (event) => events.emit("message:read", event));
  socket.on("chat:created", (chat) => {
    log.follow(chat.id);
    events.emit("chat:created", chat);
  });
  socket.on("chat:updated", (chat) => events.emit("chat:updated", chat));
  socket.on("chat:member_added", (event) => events.emit("chat:member_added", event));
  socket.on("chat:member_removed", (event) => events.emit("chat:member_removed", event));
  socket.on("chat:member_updated", (event) => events.emit("chat:member_updated", event));
  socket.on("error", ({ event, code, message }) =>
    events.emit("error", new ChatError(isErrorCode(code) ? code : "INTERNAL", message, { event })),
  );

  // In a browser, the `offline` event is the fastest news of a dead network.
  const page = globalThis as {
    addEventListener?: (type: string, listener: () => void) => void;
    removeEventListener?: (type: string, listener: () => void) => void;
  };
  const onOffline = () => {
    if (socket.connected) socket.io.engine?.close();
  };
  const watchNetwork =
    options.watchNetwork !== false && typeof page.addEventListener === "function";
  if (watchNetwork) page.addEventListener?.("offline", onOffline);

  return {
    socket,
    get state() {
      return state;
    },
    online,
    on: (event, listener) => events.on(event, listener),
    once: (event, listener) => events.once(event, listener),
    off: (event, listener) => events.off(event, listener),
    emitWithAck: (event, payload) => commands.run(event, payload),

    async send(chatId, body, sendOptions = {}) {
      const client_msg_id = sendOptions.clientMsgId ?? randomId();
      const { message } = await commands.run("message:send", {
        chat_id: chatId,
        body,
        client_msg_id,
        ...(sendOptions.replyToId === undefined ? {} : { reply_to_id: sendOptions.replyToId }),
        ...(sendOptions.attachmentIds === undefined
          ? {}
          : { attachment_ids: [...sendOptions.attachmentIds] }),
      });
      // The acknowledgement may beat the broadcast (or the broadcast may be lost in a drop).
      log.deliverNew(message);
      return message;
    },

    async edit(messageId, body) {
      const { message } = await commands.run("message:update", { id: messageId, body });
      log.deliverUpdate(message);
      return message;
    },

    async remove(messageId) {
      // A retried delete that finds the message gone means the first attempt worked.
      await commands.run("message:delete", { id: messageId }, (code) =>
        code === "NOT_FOUND" ? { ok: true, id: messageId } : undefined,
      );
    },

    async react(messageId, emoji) {
      const { ok: _ok, ...reactions } = await commands.run("reaction:add", {
        message_id: messageId,
        emoji,
      });
      log.deliverReactions(reactions);
      return reactions;
    },

    async unreact(messageId, emoji) {
      const { ok: _ok, ...reactions } = await commands.run("reaction:remove", {
        message_id: messageId,
        emoji,
      });
      log.deliverReactions(reactions);
      return reactions;
    },

    typing(chatId, typing) {
      if (socket.connected) socket.emit("typing", { chat_id: chatId, typing });
    },

    async markRead(chatId, seq) {
      await commands.run("message:read", { chat_id: chatId, seq });
    },

    seen: (messages) => log.seen(messages),
    track: (chatId, afterChangeSeq = 0) => log.track(chatId, afterChangeSeq),
    cursors: () => log.cursors(),

    ready() {
      if (closed || refused || kicked) return Promise.reject(closedError());
      if (socket.connected && caughtUp) return Promise.resolve();
      return new Promise((resolve, reject) => readyWaiters.push({ resolve, reject }));
    },

    reconnect() {
      if (closed || socket.connected) return;
      refused = false;
      kicked = false;
      setState(state === "disconnected" ? "connecting" : state);
      socket.connect();
    },

    close() {
      if (closed) return;
      closed = true;
      if (watchNetwork) page.removeEventListener?.("offline", onOffline);
      socket.disconnect();
      setState("disconnected");
      failWaiters(closedError());
    },
  };
}
