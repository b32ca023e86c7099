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
import {
  compactConnection,
  releaseHandshake,
  tcpSocketOf,
  wrapAdapterPublish,
} from "../src/server/library-shims.ts";
import type { ChatSocket } from "../src/server/realtime/types.ts";
import { clusterEnvOrSkip, startNodes } from "./cluster/support.ts";
import {
  connectSocket,
  emitWithAck,
  eventually,
  nextEvent,
  registerUser,
} from "./support/clients.ts";
import { chatFixture } from "./support/fixture.ts";
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

/** The listeners an emitter holds for `type`, as Node keeps them. */
const listenersIn = (emitter: unknown, type: string) =>
  (emitter as { listeners(type: string): Array<(...args: unknown[]) => unknown> }).listeners(type);

test("Node, ws, engine.io, Socket.IO: a connection's tables are compacted and it still works", async (t) => {
  const { app, users, direct, connect } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  const chat = await direct(ana, ben);
  // A heartbeat every 50 ms, so that the test sees several go by.
  Object.assign(app.io.engine.opts, { pingInterval: 50, pingTimeout: 1000 });
  const anaSocket = await connect(ana);
  const benSocket = await connect(ben);
  const sockets = app.io.of("/").sockets;
  const serverSocketOf = (userId: string) =>
    eventually(() => {
      const found = [...sockets.values()].find((s) => s.data.user.id === userId);
      assert.ok(found, "the server has the socket");
      return found;
    });
  const anaServer = await serverSocketOf(ana.user.id);

  await t.test("the shapes it reads are there (the gateway compacted this socket)", () => {
    const transport = anaServer.conn.transport as unknown as { name: string; socket: unknown };
    assert.equal(transport.name, "websocket");
    assert.equal(listenersIn(transport, "headers").length, 0, "the polling-only listener is gone");
    const wsErrors = listenersIn(transport.socket, "error");
    assert.equal(wsErrors.length, 1, "the transport's own error listener stays");
    assert.ok(!wsErrors.some((l) => l.name === "onUpgradeError"));
    // Again on the same socket: every table and array is found where expected.
    assert.deepEqual(compactConnection(anaServer), { tables: 4, arrays: 3, dropped: 0 });
    assert.equal(
      Object.getPrototypeOf((anaServer as unknown as { _events: object })._events),
      null,
    );
  });

  await t.test(
    "its socket still gets the events of its rooms, and commands still run",
    async () => {
      const benGets = nextEvent(benSocket, "message:send", (m: any) => m.chat_id === chat.id);
      const ack = await emitWithAck(anaSocket, "message:send", { chat_id: chat.id, body: "hola" });
      assert.equal(ack.ok, true, JSON.stringify(ack));
      assert.equal((await benGets).body, "hola");
      const anaGets = nextEvent(anaSocket, "message:send", (m: any) => m.body === "back");
      await emitWithAck(benSocket, "message:send", { chat_id: chat.id, body: "back" });
      await anaGets;
    },
  );

  await t.test("the heartbeat still goes both ways", async () => {
    let pings = 0;
    anaSocket.io.engine.on("ping", () => pings++);
    let heartbeats = 0;
    anaServer.conn.on("heartbeat", () => heartbeats++);
    await eventually(() => assert.ok(pings >= 3 && heartbeats >= 3, `${pings} / ${heartbeats}`));
    assert.equal(anaServer.connected, true);
  });

  await t.test("a client that stops answering is dropped by the ping timeout", async () => {
    Object.assign(app.io.engine.opts, { pingTimeout: 100 });
    const engine = benSocket.io.engine as unknown as { _sendPacket: (type: string) => void };
    const send = engine._sendPacket.bind(engine);
    // The client's engine answers every ping through _sendPacket("pong"): swallow those.
    engine._sendPacket = (type: string, ...rest: unknown[]) =>
      type === "pong" ? undefined : (send as (...a: unknown[]) => void)(type, ...rest);
    const benServer = await serverSocketOf(ben.user.id);
    const reason = await new Promise((resolve) => benServer.once("disconnect", resolve));
    assert.equal(reason, "ping timeout");
    Object.assign(app.io.engine.opts, { pingTimeout: 1000 });
  });

  await t.test("a disconnect still reaches the server and ends the socket", async () => {
    const reason = new Promise((resolve) => anaServer.once("disconnect", resolve));
    anaSocket.disconnect();
    assert.equal(await reason, "client namespace disconnect");
    await eventually(() => assert.equal(sockets.size, 0));
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

  const plain = { conn: { transport: { name: "websocket", socket: {} } } };
  assert.deepEqual(compactConnection(plain), { tables: 0, arrays: 0, dropped: 0 });
  assert.deepEqual(plain, { conn: { transport: { name: "websocket", socket: {} } } });
  assert.deepEqual(compactConnection({}), { tables: 0, arrays: 0, dropped: 0 });

  const adapter = { publish: "not a method" };
  assert.equal(
    wrapAdapterPublish(adapter, (publish) => ({ publish })),
    undefined,
  );
  assert.deepEqual(adapter, { publish: "not a method" });
});
