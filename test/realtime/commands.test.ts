/**
 * Every client event, with an acknowledgement (`{ ok: true, ... }` or `{ ok: false, error }`)
 * and without one (failures then arrive as an `error` event `{ event, code, message }`).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import {
  connectSocket,
  emitWithAck,
  eventually,
  http,
  nextEvent,
  received,
  settle,
} from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test("client events and their acknowledgements", async (t) => {
  const fixture = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = fixture.users;
  const { url } = fixture;
  const chat = await fixture.direct(ana, ben);
  const socket = await fixture.connect(ana);
  const benSocket = await fixture.connect(ben);

  await t.test("message:send → { ok, message }, stored and broadcast", async (t) => {
    // Every live socket of every member, the sender's own other socket included.
    const anaOther = await connectSocket(t, url, ana.token);
    const anaOtherGets = nextEvent(anaOther, "message:send");
    const benGets = nextEvent(benSocket, "message:send");
    const ack = await emitWithAck(socket, "message:send", {
      chat_id: chat.id,
      body: "hi ben",
      client_msg_id: "ack-1",
    });
    assert.deepEqual(Object.keys(ack).sort(), ["message", "ok"]);
    assert.equal(ack.ok, true);
    const { message } = ack;
    assert.match(message.id, UUID);
    assert.equal(message.chat_id, chat.id);
    assert.equal(message.sender_id, ana.user.id);
    assert.equal(message.body, "hi ben");
    assert.equal(message.status, "sent");
    assert.equal(message.seq, 1);
    assert.equal(message.client_msg_id, "ack-1");
    assert.deepEqual(await benGets, message);
    assert.deepEqual(await anaOtherGets, message);
    const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ben.token });
    assert.deepEqual(history.body.messages, [message], "stored before the ack");

    // The same client_msg_id again: the original, nothing new stored or broadcast.
    const again = await emitWithAck(socket, "message:send", {
      chat_id: chat.id,
      body: "hi ben (retry)",
      client_msg_id: "ack-1",
    });
    assert.deepEqual(again, { ok: true, message });
    await settle(benSocket);
    assert.equal(received(benSocket).filter((e) => e.event === "message:send").length, 1);
  });

  await t.test(
    "a burst of sends reaches every member whole and in seq order, each acked once",
    async () => {
      // Sent without waiting, the burst is committed in a few batches and each socket is sent
      // many frames at once (queued, then flushed together): none may be lost or reordered.
      const group = await fixture.group(ana, [ben], "burst");
      const watcher = await connectSocket(t, url, ben.token);
      const bodies = Array.from({ length: 60 }, (_, i) => `burst ${i}`);
      const acks = await Promise.all(
        bodies.map((body, i) =>
          emitWithAck(i % 2 ? benSocket : socket, "message:send", { chat_id: group.id, body }),
        ),
      );
      assert.ok(acks.every((ack) => ack.ok));
      const bySeq = acks.map((ack) => ack.message).sort((a, b) => a.seq - b.seq);
      assert.deepEqual(
        bySeq.map((m) => m.seq),
        bodies.map((_, i) => i + 1),
      );
      for (const receiver of [socket, benSocket, watcher]) {
        const got = await eventually(() => {
          const sent = received(receiver)
            .filter((e) => e.event === "message:send" && e.payload.chat_id === group.id)
            .map((e) => e.payload);
          assert.equal(sent.length, bodies.length);
          return sent;
        });
        assert.deepEqual(got, bySeq);
      }
    },
  );

  await t.test("message:update → { ok, message }; message:delete → { ok, id }", async () => {
    const { message } = await emitWithAck(socket, "message:send", { chat_id: chat.id, body: "v1" });
    const benGetsUpdate = nextEvent(benSocket, "message:update", (m: any) => m.id === message.id);
    const updated = await emitWithAck(socket, "message:update", {
      id: message.id,
      body: "v2",
      status: "updated",
    });
    assert.equal(updated.ok, true);
    assert.equal(updated.message.id, message.id);
    assert.equal(updated.message.body, "v2");
    assert.equal(updated.message.status, "updated");
    assert.ok(updated.message.updated_at);
    assert.deepEqual(await benGetsUpdate, updated.message);

    const benGetsDelete = nextEvent(benSocket, "message:delete", (m: any) => m.id === message.id);
    const deleted = await emitWithAck(socket, "message:delete", { id: message.id });
    assert.deepEqual(deleted, { ok: true, id: message.id });
    const event = await benGetsDelete;
    assert.equal(event.chat_id, chat.id);
    assert.equal(event.seq, message.seq);

    const gone = await emitWithAck(socket, "message:update", { id: message.id, body: "v3" });
    assert.equal(gone.ok, false);
    assert.equal(gone.error.code, "NOT_FOUND");
    assert.equal(typeof gone.error.message, "string");
    const goneAgain = await emitWithAck(socket, "message:delete", { id: message.id });
    assert.equal(goneAgain.error.code, "NOT_FOUND");
  });

  await t.test("typing, message:read, user:connected → { ok: true }", async () => {
    assert.deepEqual(await emitWithAck(socket, "typing", { chat_id: chat.id, typing: true }), {
      ok: true,
    });
    assert.deepEqual(await emitWithAck(socket, "message:read", { chat_id: chat.id, seq: 1 }), {
      ok: true,
    });
    const list = nextEvent(socket, "users:list");
    assert.deepEqual(
      await emitWithAck(socket, "user:connected", { user_id: ana.user.id, username: "ana" }),
      { ok: true },
    );
    assert.ok((await list).users.some((u: any) => u.user_id === ben.user.id));
  });

  await t.test("sync → { ok, chats: [{ chat_id, messages, has_more }] }", async () => {
    const ack = await emitWithAck(socket, "sync", {});
    assert.equal(ack.ok, true);
    const mine = ack.chats.find((c: any) => c.chat_id === chat.id);
    assert.equal(mine.has_more, false);
    assert.ok(mine.messages.length >= 2);
  });

  await t.test("failures without an ack arrive as an error event to that socket only", async () => {
    const cases: Array<[string, unknown, string]> = [
      ["message:send", { chat_id: randomUUID(), body: "nobody" }, "NOT_FOUND"],
      ["message:send", { chat_id: chat.id, body: "" }, "VALIDATION_ERROR"],
      ["message:send", { chat_id: chat.id, sender_id: ben.user.id, body: "as ben" }, "FORBIDDEN"],
      ["message:send", { chat_id: chat.id, body: "x", status: "deleted" }, "VALIDATION_ERROR"],
      ["message:update", { id: randomUUID(), body: "x" }, "NOT_FOUND"],
      ["message:update", { id: randomUUID(), body: "x", status: "sent" }, "VALIDATION_ERROR"],
      ["message:delete", { id: "nope" }, "VALIDATION_ERROR"],
      ["typing", { chat_id: randomUUID(), typing: true }, "NOT_FOUND"],
      ["message:read", { chat_id: randomUUID(), seq: 1 }, "NOT_FOUND"],
      ["user:connected", { user_id: ben.user.id, username: "ben" }, "FORBIDDEN"],
      ["user:disconnected", { user_id: ben.user.id }, "FORBIDDEN"],
      ["sync", { chats: "all" }, "VALIDATION_ERROR"],
    ];
    for (const [event, payload, code] of cases) {
      const error = nextEvent(socket, "error", (e: any) => e.event === event);
      (socket as any).emit(event, payload);
      const got = await error;
      assert.equal(got.code, code, `${event} ${JSON.stringify(payload)}`);
      assert.deepEqual(Object.keys(got).sort(), ["code", "event", "message"]);
      assert.equal(typeof got.message, "string");
      // The same with an ack: the ack carries it, no error event.
      const ack = await emitWithAck(socket, event, payload);
      assert.deepEqual(Object.keys(ack).sort(), ["error", "ok"]);
      assert.equal(ack.ok, false);
      assert.equal(ack.error.code, code);
    }
    await settle(benSocket);
    assert.ok(!received(benSocket).some((e) => e.event === "error"), "ben got ana's errors");
    assert.equal(socket.connected, true);
  });

  await t.test("user:disconnected → { ok: true }, then the server ends that socket", async (t) => {
    const extra = await connectSocket(t, url, ana.token);
    assert.deepEqual(await emitWithAck(extra, "user:disconnected", { user_id: ana.user.id }), {
      ok: true,
    });
    await eventually(() => assert.equal(extra.connected, false));
    assert.equal(socket.connected, true, "only that socket");
  });
});
