/**
 * Rate limits as an attacker meets them: unknown socket events, costly commands, HTTP writes
 * and socket events drawing on one budget, chat creation, password spraying from one IP, a
 * burst of logins against the bounded hashing, and too many sockets for one user. Each
 * attack is refused RATE_LIMITED while another user is served.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  connectError,
  emitWithAck,
  eventually,
  http,
  registerUser,
  uniqueName,
} from "./support/clients.ts";
import { chatFixture } from "./support/fixture.ts";
import { startServer, testConfig } from "./support/server.ts";

const base = testConfig().rateLimits!;

test("one budget per user: unknown events, weights, HTTP and socket together", async (t) => {
  const { url, connect, group, users } = await chatFixture(t, ["ana", "ben", "eve"], {
    rateLimits: { ...base, socketEvents: 20, socketWindowSeconds: 600 },
  });
  const [ana, ben, eve] = users;
  const chat = await group(eve, [ana, ben], "budget");

  await t.test("unknown socket events count: the budget runs out", async () => {
    const socket = await connect(ana);
    const answers = [];
    for (let i = 0; i < 25; i++) answers.push(await emitWithAck(socket, "no:such:event", {}));
    const codes = answers.map((a) => a.error.code);
    assert.deepEqual(codes.slice(0, 20), Array(20).fill("VALIDATION_ERROR"));
    assert.deepEqual(codes.slice(20), Array(5).fill("RATE_LIMITED"));
    const send = await emitWithAck(socket, "message:send", { chat_id: chat.id, body: "x" });
    assert.equal(send.error?.code, "RATE_LIMITED", "known commands are out of budget too");
    const post = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
      token: ana.token,
      body: { body: "over http" },
    });
    assert.equal(post.status, 429, "and so are the user's HTTP writes");
    assert.equal(post.body.error.code, "RATE_LIMITED");
  });

  await t.test("HTTP writes spend the budget the socket then finds empty", async () => {
    for (let i = 0; i < 20; i++) {
      const post = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
        token: ben.token,
        body: { body: `http ${i}` },
      });
      assert.equal(post.status, 201, `write ${i}`);
    }
    const post = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
      token: ben.token,
      body: { body: "one too many" },
    });
    assert.equal(post.status, 429);
    const socket = await connect(ben);
    const send = await emitWithAck(socket, "message:send", { chat_id: chat.id, body: "socket" });
    assert.equal(send.error?.code, "RATE_LIMITED");
    // Reads are not writes: ben still reads, and eve (another user) still writes.
    const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, {
      token: ben.token,
    });
    assert.equal(history.status, 200);
    assert.equal(history.body.messages.length, 20);
  });

  await t.test("a command costs its weight: sync takes 10 points", async () => {
    const socket = await connect(eve);
    // eve spent 1 creating the chat: 19 left; a sync takes 10, leaving 9 plain commands.
    assert.equal((await emitWithAck(socket, "sync", {})).ok, true);
    const typing = { chat_id: chat.id, typing: true };
    for (let i = 0; i < 9; i++)
      assert.equal((await emitWithAck(socket, "typing", typing)).ok, true);
    const over = await emitWithAck(socket, "typing", typing);
    assert.equal(over.error?.code, "RATE_LIMITED");
  });
});

test("chat creation is limited per user", async (t) => {
  const { url, users } = await chatFixture(t, ["ana", "ben"], {
    rateLimits: { ...base, chatCreations: 3, chatCreationWindowSeconds: 600 },
  });
  const [ana, ben] = users;
  const create = (token: string) =>
    http(url, "POST", "/api/chats", {
      token,
      body: { type: "group", name: "spam", member_ids: [] },
    });
  for (let i = 0; i < 3; i++) assert.equal((await create(ana.token)).status, 201);
  const refused = await create(ana.token);
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error.code, "RATE_LIMITED");
  assert.equal((await create(ben.token)).status, 201, "another user still creates chats");
});

test("logins are limited per IP whatever the username (password spraying)", async (t) => {
  const { url } = await startServer(t, {
    rateLimits: { ...base, loginIpAttempts: 5, loginIpWindowSeconds: 600 },
  });
  const statuses = [];
  for (let i = 0; i < 7; i++) {
    const login = await http(url, "POST", "/api/auth/login", {
      body: { username: uniqueName("spray"), password: "Winter2026!" },
    });
    statuses.push(login.status);
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
});

test("password hashing is bounded: a login burst is refused, others are served", async (t) => {
  const { url } = await startServer(t, {
    passwordHashConcurrency: { running: 1, waiting: 1 },
  });
  const ana = await registerUser(url, uniqueName("ana"));
  // 24 logins at once: one hashes, one waits, the rest are refused at once.
  const burst = await Promise.all(
    Array.from({ length: 24 }, () =>
      http(url, "POST", "/api/auth/login", {
        body: { username: uniqueName("burst"), password: "Winter2026!" },
      }),
    ),
  );
  const statuses = burst.map((r) => r.status);
  assert.ok(statuses.includes(429), `some refused: ${statuses.join(",")}`);
  assert.ok(
    statuses.every((s) => s === 401 || s === 429),
    statuses.join(","),
  );
  assert.equal(burst.find((r) => r.status === 429)?.body.error.code, "RATE_LIMITED");
  // Requests that hash nothing never waited for the hashes.
  assert.equal((await http(url, "GET", "/api/users/me", { token: ana.token })).status, 200);
  // Once the burst is over, logins work again.
  const login = await http(url, "POST", "/api/auth/login", {
    body: { username: ana.user.username, password: ana.password },
  });
  assert.equal(login.status, 200);
});

test("sockets per user are capped at the handshake (RATE_LIMITED)", async (t) => {
  const { url, users, connect } = await chatFixture(t, ["ana", "ben"], {
    maxSocketsPerUser: 3,
  });
  const [ana, ben] = users;
  const sockets = [await connect(ana), await connect(ana), await connect(ana)];
  const refused = await connectError(t, url, { auth: { token: ana.token } });
  assert.equal(refused.message, "RATE_LIMITED");
  assert.deepEqual((refused.data as { code: string }).code, "RATE_LIMITED");
  assert.ok((await connect(ben)).connected, "another user connects");
  // A refused handshake took no place: closing one socket makes room for exactly one.
  const closed = new Promise((resolve) => sockets[0]!.once("disconnect", resolve));
  sockets[0]!.disconnect();
  await closed;
  // The server may not have seen the close yet: retry until it has.
  const again = await eventually(() => connect(ana));
  assert.ok(again.connected);
  assert.equal(
    (await connectError(t, url, { auth: { token: ana.token } })).message,
    "RATE_LIMITED",
  );
});
