/**
 * The real-time half of the client: a typed Socket.IO connection with at-least-once
 * commands (retried with the same `client_msg_id`), catch-up after every (re)connect
 * through the `sync` event, exactly-once delivery of message changes, presence and a
 * connection state the UI can show.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { ChatError, isErrorCode, type ErrorCode } from "@charla/protocol/errors";
import {
  UNAUTHORIZED_CONNECT_ERROR,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "@charla/protocol/events";
import type {
  Chat,
  MemberEvent,
  Message,
  MessageDeletedEvent,
  OnlineUser,
  ReadEvent,
  SocketErrorEvent,
  SyncResult,
  TypingEvent,
} from "@charla/protocol/schemas";
import { Emitter, type Unsubscribe } from "./emitter.ts";

/** The socket with the contract's event maps, from the client's side. */
export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * - `connecting`: the first connection is being opened.
 * - `connected`: live; commands go out at once.
 * - `reconnecting`: the connection dropped and is being reopened on its own; commands wait.
 * - `disconnected`: closed for good (by {@link ChatClient.close}, by the server, or because
 *   the token was refused); call {@link ChatClient.reconnect} to try again.
 */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "disconnected";

/** What {@link ChatClient.on} can listen to. */
export interface ChatClientEvents {
  /** A message seen for the first time (live, acknowledged to this client, or caught up). */
  message: (message: Message) => void;
  /** A later state of a known message: an edit (status `updated`). */
  update: (message: Message) => void;
  /** A message was deleted (its body is gone everywhere). */
  delete: (event: MessageDeletedEvent) => void;
  typing: (event: TypingEvent) => void;
  /** A member's read position moved. */
  read: (event: ReadEvent) => void;
  /** The set of online users changed: `user_id → username`. */
  presence: (online: ReadonlyMap<string, string>) => void;
  "user:connected": (user: OnlineUser) => void;
  "user:disconnected": (payload: { user_id: string }) => void;
  "chat:created": (chat: Chat) => void;
  "chat:member_added": (event: MemberEvent) => void;
  "chat:member_removed": (event: MemberEvent) => void;
  state: (state: ConnectionState) => void;
  /** A catch-up after a (re)connect finished: every change missed so far was delivered. */
  synced: () => void;
  /** The handshake refused the token (`UNAUTHORIZED`); the client stops reconnecting. */
  unauthorized: () => void;
  /** A server `error` event (a command sent without ack failed) or a failed catch-up. */
  error: (error: SocketErrorEvent | ChatError) => void;
}

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
  /** Reuse an id (e.g. one persisted before a crash); default `crypto.randomUUID()`. */
  clientMsgId?: string;
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

/** Codes worth trying again with the same payload (the server did not act on it). */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set(["UNAVAILABLE", "RATE_LIMITED"]);
const MAX_DELIVERED_IDS = 100_000;

type Attempt<T extends object> = Ack<T> | "retry";

/**
 * A v4 UUID. `crypto.randomUUID` exists only in secure contexts (https, localhost), so a
 * page served over plain http on a LAN falls back to `getRandomValues`, which is everywhere.
 */
export function randomId(): string {
  const { crypto } = globalThis;
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
 * client.on("message", (m) => console.log(`${m.sender_id}: ${m.body}`));
 * client.on("state", (s) => console.log("connection:", s));
 * await client.ready();
 * const message = await client.send(chatId, "¡Hola!"); // resolves once stored
 * await client.edit(message.id, "¡Hola a todos!");
 * client.close();
 * ```
 */
export function connect(options: ConnectOptions): ChatClient {
  const ackTimeoutMs = options.ackTimeoutMs ?? 5000;
  const events = new Emitter<ChatClientEvents>();
  /** Highest change_seq seen per chat: the catch-up cursor. */
  const cursorByChat = new Map<string, number>(Object.entries(options.since ?? {}));
  /** message id → highest change_seq delivered, so each change is delivered once. */
  const deliveredById = new Map<string, number>();
  const online = new Map<string, string>();
  let state: ConnectionState = "connecting";
  let closed = false;
  let refused = false;
  /** The server ended the connection (logout, expiry): no retries until reconnect(). */
  let kicked = false;
  /** Bumped on every connect, so a catch-up of an older connection stops. */
  let generation = 0;
  let connectWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let readyWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let caughtUp = false;

  const { token } = options;
  const socketOptions: Partial<ManagerOptions & SocketOptions> = {
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    ...options.socketOptions,
    auth: (cb) => cb({ token: typeof token === "function" ? token() : token }),
  };
  const socket: ChatSocket = options.url ? io(options.url, socketOptions) : io(socketOptions);

  function setState(next: ConnectionState): void {
    if (state === next) return;
    state = next;
    events.emit("state", next);
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

  function advance(chatId: string, changeSeq: number): void {
    if (changeSeq > (cursorByChat.get(chatId) ?? -1)) cursorByChat.set(chatId, changeSeq);
  }

  /** Records a change; false when it (or a later change of that message) was delivered. */
  function record(id: string, chatId: string, changeSeq: number | undefined): boolean {
    const previous = deliveredById.get(id);
    if (changeSeq === undefined) return previous === undefined;
    if (previous !== undefined && changeSeq <= previous) return false;
    if (previous === undefined && deliveredById.size >= MAX_DELIVERED_IDS) {
      // Forget the oldest ids; a change that old is not expected again.
      const oldest = deliveredById.keys().next().value;
      if (oldest !== undefined) deliveredById.delete(oldest);
    }
    deliveredById.set(id, changeSeq);
    advance(chatId, changeSeq);
    return true;
  }

  function deliverNew(message: Message): void {
    if (record(message.id, message.chat_id, message.change_seq)) events.emit("message", message);
  }

  function deliverUpdate(message: Message): void {
    if (record(message.id, message.chat_id, message.change_seq)) events.emit("update", message);
  }

  function deliverDelete(event: MessageDeletedEvent): void {
    if (record(event.id, event.chat_id, event.change_seq)) events.emit("delete", event);
  }

  /** A message state from catch-up: new, edited or deleted, depending on what was seen. */
  function deliverCaughtUp(message: Message): void {
    const known = deliveredById.has(message.id);
    if (!known) return deliverNew(message);
    if (message.status === "deleted") {
      const { id, chat_id, seq, change_seq } = message;
      return deliverDelete({ id, chat_id, seq, change_seq });
    }
    deliverUpdate(message);
  }

  /** One emit with an acknowledgement; "retry" on timeout or disconnect. */
  function attempt<T extends object>(event: string, payload: object): Promise<Attempt<T>> {
    return new Promise((resolve) => {
      if (!socket.connected) return resolve("retry");
      let settled = false;
      const finish = (result: Attempt<T>) => {
        if (settled) return;
        settled = true;
        socket.off("disconnect", onDisconnect);
        resolve(result);
      };
      const onDisconnect = () => finish("retry");
      socket.on("disconnect", onDisconnect);
      // The typed emit cannot take a generic event name; the maps above keep callers typed.
      const untyped = socket.timeout(ackTimeoutMs) as unknown as {
        emit(event: string, payload: object, ack: (err: Error | null, res: Ack<T>) => void): void;
      };
      untyped.emit(event, payload, (err, response) => finish(err ? "retry" : response));
    });
  }

  /** Sends until acknowledged: at-least-once, safe because every command is idempotent. */
  async function command<T extends object>(
    event: keyof ClientToServerEvents,
    payload: object,
    onRetriedError?: (code: ErrorCode) => (T & { ok: true }) | undefined,
  ): Promise<T> {
    const deadline =
      options.commandTimeoutMs === undefined ? Infinity : Date.now() + options.commandTimeoutMs;
    for (let attemptNo = 1; ; attemptNo++) {
      if (Date.now() > deadline) {
        throw new ChatError("UNAVAILABLE", `No acknowledgement for ${event}.`);
      }
      await (deadline === Infinity
        ? whenConnected()
        : Promise.race([whenConnected(), sleep(deadline - Date.now())]));
      if (!socket.connected) continue; // the deadline check above ends it
      const result = await attempt<T>(event, payload);
      if (result === "retry") continue;
      if (result.ok) return result;
      const code = isErrorCode(result.error.code) ? result.error.code : "INTERNAL";
      if (attemptNo > 1 && onRetriedError) {
        const settled = onRetriedError(code);
        if (settled) return settled;
      }
      if (RETRYABLE.has(code)) {
        await sleep(Math.min(250 * 2 ** Math.min(attemptNo, 5), 5000));
        continue;
      }
      throw new ChatError(code, result.error.message);
    }
  }

  /** Catch-up: asks for every change after each cursor, page by page, then `synced`. */
  async function catchUp(mine: number): Promise<void> {
    // Its own cursors, so a live event that jumps ahead does not skip a page.
    const pageCursor = new Map(cursorByChat);
    for (;;) {
      if (mine !== generation || !socket.connected) return;
      // Every known chat is listed each round: the server catches up unlisted chats from 0.
      const chats = [...pageCursor].map(([chat_id, after_change_seq]) => ({
        chat_id,
        after_change_seq,
      }));
      const payload = options.syncLimit ? { chats, limit: options.syncLimit } : { chats };
      const result = await attempt<SyncResult>("sync", payload);
      if (mine !== generation) return;
      if (result === "retry") {
        if (!socket.connected) return; // the next connect starts again
        continue;
      }
      if (!result.ok) {
        const code = isErrorCode(result.error.code) ? result.error.code : "INTERNAL";
        events.emit("error", new ChatError(code, result.error.message));
        return;
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
      if (!more) break;
    }
    caughtUp = true;
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    events.emit("synced");
  }

  function setOnline(next: Iterable<OnlineUser>): void {
    online.clear();
    for (const user of next) online.set(user.user_id, user.username);
    events.emit("presence", online);
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
      if (refused) events.emit("unauthorized");
    }
  });

  socket.on("message:send", deliverNew);
  socket.on("message:update", (message) =>
    message.status === "deleted"
      ? deliverDelete({
          id: message.id,
          chat_id: message.chat_id,
          seq: message.seq,
          change_seq: message.change_seq,
        })
      : deliverUpdate(message),
  );
  socket.on("message:delete", deliverDelete);
  socket.on("typing", (event) => events.emit("typing", event));
  socket.on("message:read", (event) => events.emit("read", event));
  socket.on("users:list", ({ users }) => setOnline(users));
  const userConnected = (user: OnlineUser) => {
    if (online.get(user.user_id) === user.username) return; // user:connected + users:online
    online.set(user.user_id, user.username);
    events.emit("user:connected", user);
    events.emit("presence", online);
  };
  socket.on("user:connected", userConnected);
  socket.on("users:online", userConnected);
  socket.on("user:disconnected", (payload) => {
    if (!online.delete(payload.user_id)) return;
    events.emit("user:disconnected", payload);
    events.emit("presence", online);
  });
  socket.on("chat:created", (chat) => {
    if (!cursorByChat.has(chat.id)) cursorByChat.set(chat.id, 0);
    events.emit("chat:created", chat);
  });
  socket.on("chat:member_added", (event) => events.emit("chat:member_added", event));
  socket.on("chat:member_removed", (event) => events.emit("chat:member_removed", event));
  socket.on("error", (event) => events.emit("error", event));

  // In a browser, the `offline` event is the fastest news of a dead network.
  const page = globalThis as unknown as {
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

    async send(chatId, body, sendOptions = {}) {
      const client_msg_id = sendOptions.clientMsgId ?? randomId();
      const { message } = await command<{ message: Message }>("message:send", {
        chat_id: chatId,
        body,
        client_msg_id,
      });
      // The acknowledgement may beat the broadcast (or the broadcast may be lost in a drop).
      deliverNew(message);
      return message;
    },

    async edit(messageId, body) {
      const { message } = await command<{ message: Message }>("message:update", {
        id: messageId,
        body,
      });
      deliverUpdate(message);
      return message;
    },

    async remove(messageId) {
      // A retried delete that finds the message gone means the first attempt worked.
      await command<{ id: string }>("message:delete", { id: messageId }, (code) =>
        code === "NOT_FOUND" ? { ok: true, id: messageId } : undefined,
      );
    },

    typing(chatId, typing) {
      if (socket.connected) socket.emit("typing", { chat_id: chatId, typing });
    },

    async markRead(chatId, seq) {
      await command("message:read", { chat_id: chatId, seq });
    },

    seen(messages) {
      for (const message of messages) {
        record(message.id, message.chat_id, message.change_seq);
      }
    },

    track(chatId, afterChangeSeq = 0) {
      advance(chatId, afterChangeSeq);
    },

    cursors: () => Object.fromEntries(cursorByChat),

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
