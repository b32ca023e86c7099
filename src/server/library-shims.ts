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
