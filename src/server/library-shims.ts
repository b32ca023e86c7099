/**
 * The one place Charla reaches into libraries' internals: a shape no library documents, and
 * a newer version may change. Each shim checks the shape with `typeof` before touching it and,
 * when it is not what is expected, does nothing and says so (returns undefined or false): the
 * server then works as it would without the shim, a little slower or less resilient, never
 * broken. test/library-shims.test.ts runs each against the installed libraries and fails
 * loudly when a shape changed, so that an upgrade cannot quietly turn one off.
 *
 * Modelled on engine.io's own `_canSendPreEncodedFrame` guard around `ws` internals.
 */
import type { IncomingMessage } from "node:http";
import type { Socket as TcpSocket } from "node:net";
import type { ClusterMessage } from "socket.io-adapter";

// ------------------------------------------------------------------ ws: the TCP socket

/** engine.io's connection, as far as this shim reads it. */
export interface EngineSocketLike {
  transport?: { name?: string; socket?: { _socket?: unknown } };
}

/**
 * The TCP socket under a WebSocket connection, for corking (realtime/coalesce-writes.ts).
 * engine.io's websocket transport keeps the `ws` WebSocket as `socket`, and `ws` keeps the
 * TCP socket as `_socket`; neither is public. Undefined for another transport (polling) or
 * when the shape is not what is expected: nothing is corked.
 */
export function tcpSocketOf(engineSocket: EngineSocketLike): TcpSocket | undefined {
  const transport = engineSocket.transport;
  if (transport?.name !== "websocket") return undefined;
  const tcp = transport.socket?._socket as Partial<TcpSocket> | undefined;
  return typeof tcp?.cork === "function" && typeof tcp.uncork === "function"
    ? (tcp as TcpSocket)
    : undefined;
}

// ------------------------------------------------------------------ engine.io: the upgrade request

/** A Socket.IO socket, as far as this shim reads and writes it. */
export interface HandshakeHolder {
  handshake: object;
  conn: EngineSocketLike & { request?: unknown };
}

/**
 * What every authenticated socket shows as its handshake: nothing reads one after the auth
 * middleware, and each socket's own (headers, query, auth, the time as a string, the URL)
 * cost about 0.4 KB on every idle connection. Frozen: a write would be a bug.
 */
const RELEASED_HANDSHAKE = Object.freeze({
  headers: Object.freeze({}),
  time: "",
  address: "",
  xdomain: false,
  secure: false,
  issued: 0,
  url: "",
  query: Object.freeze({}),
  auth: Object.freeze({}),
});

/** The listener engine.io's WebSocketResponse puts on the TCP socket (engine.io 6.6). */
const RESPONSE_CLOSE_SOURCE = '() => this.emit("close")';

/**
 * Lets go of a socket's upgrade request once nothing needs it (after the handshake), so that
 * the request (IncomingMessage, its stream state, headers, URL) and engine.io's stand-in
 * response for WebSocket upgrades are collected: about 1.3 KB per idle socket, measured.
 *
 * engine.io keeps the request as `conn.request` (Socket.IO's documented saving is to null
 * it), but since 6.6 the stand-in response (`WebSocketResponse`, which holds the request)
 * also stays reachable through the `close` listener it puts on the TCP socket, for engine
 * middlewares that wait for the response to end; Charla registers none. Returns what it could
 * release: the handshake always, the request only when both references are where expected
 * (otherwise neither is touched, and only the headers are emptied).
 */
export function releaseHandshake(socket: HandshakeHolder): { request: boolean } {
  const request = socket.conn.request as Partial<IncomingMessage> | undefined;
  socket.handshake = RELEASED_HANDSHAKE;
  const tcp = tcpSocketOf(socket.conn);
  const responseClose = tcp
    ?.rawListeners("close")
    .find((l) => String((l as { listener?: unknown }).listener ?? l) === RESPONSE_CLOSE_SOURCE) as
    ((...args: unknown[]) => void) | undefined;
  if (tcp && responseClose && request) {
    tcp.removeListener("close", responseClose);
    socket.conn.request = null;
    return { request: true };
  }
  if (typeof request?.headers === "object" && Array.isArray(request.rawHeaders)) {
    request.headers = {};
    request.rawHeaders = [];
  }
  return { request: false };
}

// ------------------------------------------------------------------ Node, ws, engine.io, Socket.IO: one connection's tables

/** A Socket.IO socket and what is under it, as far as compactConnection reads and writes it. */
export interface ConnectionLike {
  _anyListeners?: unknown;
  client?: { decoder?: { _callbacks?: unknown } };
  conn: { cleanupFn?: unknown; transport?: { name?: string; socket?: unknown } };
}

/** What compactConnection changed: listener tables rebuilt, arrays trimmed, listeners dropped. */
export interface Compacted {
  tables: number;
  arrays: number;
  dropped: number;
}

/** An EventEmitter's listener table, as Node keeps it (`_events`, `_eventsCount`). */
interface ListenerTableHolder {
  _events?: unknown;
  _eventsCount?: unknown;
}

/**
 * Rebuilds one EventEmitter's listener table as a fast (hidden-class) object. Node creates it
 * as `{ __proto__: null }`, which V8 keeps as a hash table (~160–450 B each, measured), and
 * four emitters hold one per connection (the Socket.IO socket, engine.io's socket and its
 * transport, the `ws` WebSocket). Same keys, same values, same null prototype: only the
 * object's layout differs, so Node's emitter code cannot tell. `drop` names listeners the
 * new table leaves out. Streams (whose tables Node already keeps fast, with a prototype) and
 * anything else are left alone.
 */
function compactListenerTable(
  emitter: unknown,
  drop: (type: string | symbol, listener: unknown) => boolean = () => false,
): { table: boolean; dropped: number } {
  const holder = emitter as ListenerTableHolder | undefined;
  const old = holder?._events;
  if (
    typeof old !== "object" ||
    old === null ||
    Object.getPrototypeOf(old) !== null ||
    typeof holder!._eventsCount !== "number"
  ) {
    return { table: false, dropped: 0 };
  }
  const table: Record<string | symbol, unknown> = {};
  // Before any key is added: objects made this way share one chain of hidden classes.
  Object.setPrototypeOf(table, null);
  let dropped = 0;
  let count = 0;
  for (const type of Reflect.ownKeys(old)) {
    const value = (old as Record<string | symbol, unknown>)[type];
    if (Array.isArray(value)) {
      const kept = value.filter((listener) => !drop(type, listener));
      dropped += value.length - kept.length;
      if (kept.length === 0) continue;
      table[type] = kept.length === 1 ? kept[0] : kept;
    } else if (value !== undefined && drop(type, value)) {
      dropped++;
      continue;
    } else {
      table[type] = value;
    }
    if (value !== undefined) count++;
  }
  holder!._events = table;
  holder!._eventsCount = count;
  return { table: true, dropped };
}

/** An array that will not grow again, copied to its own length (a first push reserves 17 slots). */
function trimmed(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value.slice() : undefined;
}

/**
 * engine.io's listener on a WebSocket before the handshake (a debug line, nothing else); the
 * transport's own error listener is added next to it and stays.
 */
const isUpgradeErrorListener = (type: string | symbol, listener: unknown) =>
  type === "error" && typeof listener === "function" && listener.name === "onUpgradeError";

/**
 * Makes an accepted connection's per-socket bookkeeping smaller once its listeners are all in
 * place (call it last on "connection"): about 1.2 KB per idle socket, measured with heap
 * snapshots (docs/benchmarks.md, 2026-12-03).
 *
 * - the four listener tables become fast objects (compactListenerTable);
 * - three arrays that got one element each and keep it for the socket's life (Socket.IO's
 *   `onAny` listeners, engine.io's transport clean-up, the decoder's `decoded` listeners) are
 *   copied to their length;
 * - on a WebSocket transport, two listeners that can no longer fire are dropped: engine.io's
 *   `onUpgradeError` on the WebSocket (a no-op kept after the handshake; the transport's own
 *   error listener stays), and the transport's `headers` listener, which only the polling
 *   transport emits.
 *
 * A later `removeListener` may turn a table back into a hash table (Node deletes the key);
 * nothing removes listeners of an open WebSocket socket. Returns what it changed; each part
 * whose shape is not the expected one is skipped.
 */
export function compactConnection(socketIoSocket: object): Compacted {
  // Socket.IO declares `_anyListeners` private: read through the shape, not the class.
  const socket = socketIoSocket as ConnectionLike;
  if (typeof socket.conn !== "object" || socket.conn === null) {
    return { tables: 0, arrays: 0, dropped: 0 };
  }
  const result: Compacted = { tables: 0, arrays: 0, dropped: 0 };
  const note = (r: { table: boolean; dropped: number }) => {
    if (r.table) result.tables++;
    result.dropped += r.dropped;
  };
  const transport = socket.conn.transport;
  const onWebSocket = transport?.name === "websocket";
  note(compactListenerTable(socket));
  note(compactListenerTable(socket.conn));
  note(compactListenerTable(transport, (type) => onWebSocket && type === "headers"));
  if (onWebSocket) note(compactListenerTable(transport.socket, isUpgradeErrorListener));

  const anyListeners = trimmed(socket._anyListeners);
  if (anyListeners) {
    socket._anyListeners = anyListeners;
    result.arrays++;
  }
  const cleanup = trimmed(socket.conn.cleanupFn);
  if (cleanup) {
    socket.conn.cleanupFn = cleanup;
    result.arrays++;
  }
  const callbacks = socket.client?.decoder?._callbacks as Record<string, unknown> | undefined;
  const decoded = trimmed(callbacks?.$decoded);
  if (callbacks && decoded) {
    callbacks.$decoded = decoded;
    result.arrays++;
  }
  return result;
}

// ------------------------------------------------------------------ socket.io-adapter: publishing

/** How a cluster adapter hands a message to the other nodes. */
export type Publish = (message: ClusterMessage) => Promise<unknown>;

/**
 * Wraps how a cluster adapter publishes to the other nodes (cluster/adapter.ts keeps local
 * delivery going while Redis is down). socket.io-adapter's ClusterAdapter sends every
 * cross-node message through its `doPublish` method, which is protected, not API. `wrap`
 * gets the adapter's own publish and returns the one to use (with whatever else it needs to
 * hand back); undefined, changing nothing, when the adapter has no such method.
 */
export function wrapAdapterPublish<W extends { publish: Publish }>(
  adapter: object,
  wrap: (publish: Publish) => W,
): W | undefined {
  const target = adapter as { doPublish?: unknown };
  if (typeof target.doPublish !== "function") return undefined;
  const wrapper = wrap((target.doPublish as Publish).bind(adapter));
  target.doPublish = wrapper.publish;
  return wrapper;
}
