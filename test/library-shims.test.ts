/**
 * The shims into libraries' internals (src/server/library-shims.ts), against the libraries
 * installed: each must find the shape it expects. A failure here means an upgrade changed a
 * shape and the shim quietly turned itself off; fix the shim before shipping the upgrade.
 * And each guard degrades safely when the shape is not there.
 */
import assert from "node:assert/strict";
import { Socket as TcpSocket } from "node:net";
import { test } from "node:test";
import { MessageType, type ClusterMessage } from "socket.io-adapter";
import { releaseHandshake, tcpSocketOf, wrapAdapterPublish } from "../src/server/library-shims.ts";
import type { ChatSocket } from "../src/server/realtime/types.ts";
import { clusterEnvOrSkip, startNodes } from "./cluster/support.ts";
import { connectSocket, emitWithAck, eventually, registerUser } from "./support/clients.ts";
import { startServer } from "./support/server.ts";

/** The server side of the one socket connected to `server`. */
async function onlyServerSocket(server: { app: { io: { of(name: "/"): unknown } } }) {
  const sockets = (server.app.io.of("/") as { sockets: Map<string, ChatSocket> }).sockets;
  return eventually(() => {
    const [socket] = sockets.values();
    assert.ok(socket, "the server has the socket");
    return socket;
  });
}

test("ws and engine.io: the shapes the shims read are there", async (t) => {
  const server = await startServer(t);
  const alice = await registerUser(server.url);
  const client = await connectSocket(t, server.url, alice.token, {
    extraHeaders: { "x-something-large": "x".repeat(500) },
  });
  assert.equal(client.io.engine.transport.name, "websocket");
  const socket = await onlyServerSocket(server);

  await t.test("the TCP socket under a WebSocket is found, so queued frames are corked", () => {
    const tcp = tcpSocketOf(socket.conn as never);
    assert.ok(tcp instanceof TcpSocket, "ws no longer keeps the TCP socket as _socket");
  });

  await t.test("the upgrade request and the handshake are let go once the socket is in", () => {
    assert.equal(
      socket.conn.request,
      null,
      "engine.io's WebSocketResponse no longer puts its close listener on the TCP socket",
    );
    const tcp = tcpSocketOf(socket.conn as never)!;
    assert.ok(
      !tcp.rawListeners("close").some((l) => String(l).includes('this.emit("close")')),
      "the response's close listener is gone",
    );
    assert.deepEqual(socket.handshake.headers, {});
    assert.deepEqual(socket.handshake.auth, {}, "the token is not kept");
    assert.ok(Object.isFrozen(socket.handshake));
  });

  await t.test("the socket still works and still closes cleanly", async () => {
    const ack = await emitWithAck(client, "user:connected", {
      user_id: alice.user.id,
      username: alice.user.username,
    });
    assert.equal(ack.ok, true, JSON.stringify(ack));
    client.disconnect();
    await eventually(() => assert.equal(socket.connected, false));
  });
});

test("socket.io-adapter: every cross-node broadcast goes through the wrapped publish", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const [node] = await startNodes(t, env, 1);
  const adapter = node!.app.io.of("/").adapter;
  const published: ClusterMessage[] = [];
  const wrapped = wrapAdapterPublish(adapter, (publish) => ({
    publish: (message) => {
      published.push(message);
      return publish(message);
    },
  }));
  assert.ok(wrapped, "the streams adapter no longer publishes through doPublish");
  node!.app.io.to("chat:nobody").emit("user:disconnected", { user_id: "someone" });
  await eventually(() =>
    assert.ok(published.some((message) => message.type === MessageType.BROADCAST)),
  );
});

test("each guard changes nothing when the shape is not there", () => {
  assert.equal(tcpSocketOf({ transport: { name: "polling" } }), undefined);
  assert.equal(tcpSocketOf({ transport: { name: "websocket", socket: {} } }), undefined);
  assert.equal(
    tcpSocketOf({ transport: { name: "websocket", socket: { _socket: 1 } } }),
    undefined,
  );

  const request = { headers: { cookie: "a" }, rawHeaders: ["cookie", "a"] };
  const socket = { handshake: { headers: request.headers }, conn: { request } };
  assert.deepEqual(releaseHandshake(socket), { request: false });
  assert.equal(socket.conn.request, request, "the request is kept when its listener is not found");
  assert.deepEqual(request.headers, {}, "but its headers are still dropped");
  assert.deepEqual(socket.handshake.headers, {}, "and Socket.IO's copy too");

  const adapter = { publish: "not a method" };
  assert.equal(
    wrapAdapterPublish(adapter, (publish) => ({ publish })),
    undefined,
  );
  assert.deepEqual(adapter, { publish: "not a method" });
});
