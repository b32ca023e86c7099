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

/** A Socket.IO socket, as far as this shim reads it. */
export interface HandshakeHolder {
  handshake: { headers: unknown };
  conn: { request?: unknown };
}

/**
 * Drops a socket's request headers once nothing needs them (after the handshake). engine.io
 * keeps the upgrade request alive as long as the connection, and Socket.IO shares its headers
 * object: about 0.5 KB per idle socket, measured. False, changing nothing on the request, when
 * the request is not where engine.io keeps it.
 */
export function forgetHandshakeHeaders(socket: HandshakeHolder): boolean {
  socket.handshake.headers = {};
  const request = socket.conn.request as Partial<IncomingMessage> | undefined;
  if (typeof request?.headers !== "object" || !Array.isArray(request.rawHeaders)) return false;
  request.headers = {};
  request.rawHeaders = [];
  return true;
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
