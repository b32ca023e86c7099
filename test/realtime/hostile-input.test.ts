/**
 * Hostile socket input: wrong types, missing fields, extra nesting, unknown properties,
 * __proto__ / constructor keys, non-object payloads, oversize bodies and frames, floods.
 * Each gets its exact error code (never a crash or INTERNAL), and the server keeps serving.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  connectSocket,
  emitWithAck,
  eventually,
  http,
  nextEvent,
  settle,
} from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { testConfig } from "../support/server.ts";

test("hostile socket payloads are refused with VALIDATION_ERROR and the server keeps serving", async (t) => {
  const { url, connect, direct, users } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  const chat = await direct(ana, ben);
  const socket = await connect(ana);
  let n = 0;

  async function stillServes(why: string) {
    n += 1;
    const ok = await emitWithAck(socket, "message:send", { chat_id: chat.id, body: `ok ${n}` });
    assert.equal(ok.ok, true, `after ${why}: ${JSON.stringify(ok)}`);
  }

  /** Emits `args` with an ack, expects `code`; then the same without an ack (error event). */
  async function expect(why: string, event: string, args: unknown[], code = "VALIDATION_ERROR") {
    const ack = await (socket as any).timeout(5000).emitWithAck(event, ...args);
    assert.equal(ack.ok, false, `${why}: ${JSON.stringify(ack)}`);
    assert.equal(ack.error.code, code, `${why}: ${JSON.stringify(ack)}`);
    assert.equal(typeof ack.error.message, "string");
    const error = nextEvent(socket, "error", (e: any) => e.event === event);
    (socket as any).emit(event, ...args);
    const got = await error;
    assert.equal(got.code, code, `${why} (no ack)`);
    await stillServes(why);
  }

  const valid = { chat_id: chat.id, body: "hello" };
  const withProto = JSON.parse(`{"chat_id":"${chat.id}","body":"hi","__proto__":{"isAdmin":true}}`);
  const withConstructor = JSON.parse(
    `{"chat_id":"${chat.id}","body":"hi","constructor":{"prototype":{"isAdmin":true}}}`,
  );

  await t.test("wrong types and missing fields", async () => {
    await expect("body number", "message:send", [{ ...valid, body: 1 }]);
    await expect("body null", "message:send", [{ ...valid, body: null }]);
    await expect("body boolean", "message:send", [{ ...valid, body: true }]);
    await expect("chat_id number", "message:send", [{ ...valid, chat_id: 7 }]);
    await expect("chat_id not a uuid", "message:send", [{ ...valid, chat_id: "general" }]);
    await expect("missing chat_id", "message:send", [{ body: "hi" }]);
    await expect("missing body", "message:send", [{ chat_id: chat.id }]);
    await expect("typing as a string", "typing", [{ chat_id: chat.id, typing: "yes" }]);
    await expect("seq negative", "message:read", [{ chat_id: chat.id, seq: -1 }]);
    await expect("seq fractional", "message:read", [{ chat_id: chat.id, seq: 0.5 }]);
    await expect("seq as string", "message:read", [{ chat_id: chat.id, seq: "1" }]);
    await expect("update without id", "message:update", [{ body: "x" }]);
    await expect("delete id array", "message:delete", [{ id: [chat.id] }]);
    await expect("user_id missing", "user:connected", [{ username: "x" }]);
  });

  await t.test("extra nesting and unknown properties", async () => {
    await expect("nested body", "message:send", [{ ...valid, body: { text: "hi" } }]);
    await expect("array body", "message:send", [{ ...valid, body: ["hi"] }]);
    await expect("unknown property", "message:send", [{ ...valid, admin: true }]);
    await expect("deep nesting", "message:send", [
      { ...valid, meta: JSON.parse("[".repeat(500) + "]".repeat(500)) },
    ]);
    await expect("sync cursor junk", "sync", [{ chats: [{ chat_id: chat.id }] }]);
  });

  await t.test("__proto__ and constructor keys", async () => {
    await expect("__proto__", "message:send", [withProto]);
    await expect("constructor.prototype", "message:send", [withConstructor]);
    assert.equal(({} as any).isAdmin, undefined);
  });

  await t.test("non-object payloads", async () => {
    await expect("string", "message:send", ["hello"]);
    await expect("number", "message:send", [42]);
    await expect("null", "message:send", [null]);
    await expect("array", "message:send", [[valid]]);
    await expect("no payload", "message:send", []);
    await expect("binary", "message:send", [Buffer.from("hello")]);
    await expect("no payload (typing)", "typing", []);
    await expect("string (sync)", "sync", ["everything"]);
  });

  await t.test("bodies: whitespace only, over 4000 characters, NUL", async () => {
    await expect("whitespace only", "message:send", [{ ...valid, body: " \n\t " }]);
    await expect("empty", "message:send", [{ ...valid, body: "" }]);
    await expect("4001 characters", "message:send", [{ ...valid, body: "y".repeat(4001) }]);
    await expect("NUL", "message:send", [{ ...valid, body: "a\u0000b" }]);
    const longest = await emitWithAck(socket, "message:send", {
      ...valid,
      body: ` ${"y".repeat(4000)} `,
    });
    assert.equal(longest.ok, true);
    assert.equal(longest.message.body.length, 4000);
  });

  await t.test("unknown events are ignored; the connection stays", async () => {
    (socket as any).emit("admin:drop_tables", { all: true });
    (socket as any).emit("__proto__", {});
    await stillServes("unknown events");
  });

  await t.test(
    "malformed Socket.IO packets: dropped or the connection closed, never a crash",
    async (t) => {
      // Not parseable as a Socket.IO packet: that connection is closed.
      for (const raw of [
        "2[garbage",
        '2{"event":"message:send"}',
        "2[null]",
        "9",
        '2/admin,["x"]',
      ]) {
        const victim = await connectSocket(t, url, ana.token);
        (victim.io as any).engine.write(raw);
        await eventually(() => assert.equal(victim.connected, false, raw));
        await stillServes(raw);
      }
      // Parseable but meaningless (no such event, prototype names, a binary placeholder that
      // never gets its attachment): ignored, the connection stays.
      const odd = await connectSocket(t, url, ana.token);
      for (const raw of ["2[1,2,3]", '2["toString"]', '2["constructor",{}]', '2["__proto__",{}]']) {
        (odd.io as any).engine.write(raw);
      }
      await settle(odd);
      assert.equal(odd.connected, true);
      await stillServes("odd packets");
    },
  );

  await t.test("a frame over 64 KB closes that connection; the server keeps serving", async (t) => {
    const victim = await connectSocket(t, url, ana.token);
    const benSocket = await connectSocket(t, url, ben.token);
    victim.emit("message:send", { ...valid, body: "z".repeat(70 * 1024) });
    await eventually(() => assert.equal(victim.connected, false));
    assert.equal(benSocket.connected, true, "other connections are untouched");
    const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ana.token });
    assert.ok(!history.body.messages.some((m: any) => m.body.startsWith("zzz")));
    const fresh = await connectSocket(t, url, ana.token);
    assert.equal((await emitWithAck(fresh, "message:send", valid)).ok, true);
    await stillServes("oversize frame");
  });
});

test("socket events are rate limited per user (RATE_LIMITED)", async (t) => {
  const base = testConfig().rateLimits!;
  const { url, connect, direct, users } = await chatFixture(t, ["ana", "ben"], {
    rateLimits: { ...base, socketEvents: 5, socketWindowSeconds: 60 },
  });
  const [ana, ben] = users;
  // Created by ben: ana's budget is all for the events below.
  const chat = await direct(ben, ana);
  // Two sockets of one user share the budget.
  const a1 = await connect(ana);
  const a2 = await connect(ana);
  const payload = { chat_id: chat.id, typing: true };
  for (let i = 0; i < 3; i++) assert.equal((await emitWithAck(a1, "typing", payload)).ok, true);
  for (let i = 0; i < 2; i++) assert.equal((await emitWithAck(a2, "typing", payload)).ok, true);
  const limited = await emitWithAck(a1, "message:send", { chat_id: chat.id, body: "flood" });
  assert.deepEqual(limited.ok, false);
  assert.equal(limited.error.code, "RATE_LIMITED");
  const error = nextEvent(a2, "error");
  a2.emit("typing", payload);
  assert.equal((await error).code, "RATE_LIMITED");
  // Nothing was stored; another user is not limited; the connection stays.
  const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ben.token });
  assert.deepEqual(history.body.messages, []);
  const benSocket = await connect(ben);
  assert.equal(
    (await emitWithAck(benSocket, "message:send", { chat_id: chat.id, body: "fine" })).ok,
    true,
  );
  assert.equal(a1.connected, true);
});
