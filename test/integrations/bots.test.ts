/**
 * Bots (CONTRACT.md v2, "Bots"): an admin creates one and gets its token once; the token is
 * stored hashed, works as Bearer on HTTP and on the socket, and revoking it refuses requests
 * and ends the bot's live sockets at once. Every action is audited.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { connectError, connectSocket, emitWithAck, http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { hashSecret } from "../../src/server/domain/secrets.ts";

test("bots with API tokens", async (t) => {
  // The fixture's only user registers first: the server's admin.
  const fixture = await chatFixture(t, ["root_bots"]);
  const {
    url,
    app,
    users: [root],
  } = fixture;
  const ana = await fixture.register("ana_bots");
  const as = (user: { token: string }) => ({ token: user.token });

  await t.test("only admins: others FORBIDDEN, no token UNAUTHORIZED", async () => {
    const body = { username: "nope_bot" };
    for (const [method, path] of [
      ["POST", "/api/bots"],
      ["GET", "/api/bots"],
      ["DELETE", `/api/bots/${randomUUID()}/token`],
      ["POST", `/api/bots/${randomUUID()}/token`],
    ] as const) {
      const withBody = method === "GET" ? {} : { body };
      const refused = await http(url, method, path, { ...as(ana), ...withBody });
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.equal(refused.body.error.code, "FORBIDDEN");
      assert.equal((await http(url, method, path, withBody)).status, 401);
    }
  });

  const created = await http(url, "POST", "/api/bots", {
    ...as(root),
    body: { username: "deploy_bot", display_name: "  Deploy  " },
  });

  await t.test("create: 201 { user (bot: true), token } shown once, stored hashed", async () => {
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.user.username, "deploy_bot");
    assert.equal(created.body.user.bot, true);
    assert.equal(created.body.user.role, "user");
    assert.equal(created.body.user.display_name, "Deploy");
    assert.ok(created.body.token.length >= 32);
    const rows = await app.store.bots.list();
    assert.deepEqual(
      rows.map((u) => u.username),
      ["deploy_bot"],
    );
    // Only a hash is kept: the token itself is nowhere in the database.
    const found = await app.store.bots.findByTokenHash(hashSecret(created.body.token));
    assert.equal(found?.user.id, created.body.user.id);
    assert.notEqual(found?.tokenHash, created.body.token);
    const listed = await http(url, "GET", "/api/bots", as(root));
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body, { bots: [created.body.user] });
    assert.equal(JSON.stringify(listed.body).includes(created.body.token), false);
  });

  await t.test("bad input: VALIDATION_ERROR; a taken username CONFLICT", async () => {
    for (const body of [{}, { username: "x" }, { username: "ok_bot", extra: 1 }]) {
      const refused = await http(url, "POST", "/api/bots", { ...as(root), body });
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.error.code, "VALIDATION_ERROR");
    }
    const taken = await http(url, "POST", "/api/bots", {
      ...as(root),
      body: { username: "ANA_bots" },
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, "CONFLICT");
  });

  const bot = { token: created.body.token as string, user: created.body.user };

  await t.test("the token works as Bearer on HTTP and on the socket", async () => {
    const me = await http(url, "GET", "/api/users/me", as(bot));
    assert.equal(me.status, 200);
    assert.equal(me.body.id, bot.user.id);
    const group = await fixture.group(root, [ana], "with a bot");
    const added = await http(url, "POST", `/api/chats/${group.id}/members`, {
      ...as(root),
      body: { user_id: bot.user.id },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const socket = await connectSocket(t, url, bot.token);
    const ack = await emitWithAck(socket, "message:send", { chat_id: group.id, body: "deployed" });
    assert.equal(ack.ok, true, JSON.stringify(ack));
    assert.equal(ack.message.sender_id, bot.user.id);
    socket.disconnect();
    // A bot cannot log in with a password: it has none.
    const login = await http(url, "POST", "/api/auth/login", {
      body: { username: "deploy_bot", password: "whatever-it-is" },
    });
    assert.equal(login.status, 401);
  });

  await t.test("a wrong token with the bot prefix is UNAUTHORIZED", async () => {
    const wrong = bot.token.slice(0, -2) + (bot.token.endsWith("AA") ? "BB" : "AA");
    assert.equal((await http(url, "GET", "/api/users/me", { token: wrong })).status, 401);
    const refused = await connectError(t, url, { auth: { token: wrong } });
    assert.equal(refused.message, "UNAUTHORIZED");
  });

  await t.test("revoke: 204, requests refused, live sockets end at once", async () => {
    const socket = await connectSocket(t, url, bot.token);
    const closed = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    const revoked = await http(url, "DELETE", `/api/bots/${bot.user.id}/token`, as(root));
    assert.equal(revoked.status, 204);
    assert.equal(await closed, "io server disconnect");
    assert.equal((await http(url, "GET", "/api/users/me", as(bot))).status, 401);
    const refused = await connectError(t, url, { auth: { token: bot.token } });
    assert.equal(refused.message, "UNAUTHORIZED");
  });

  await t.test("revoking a non-bot or unknown id is NOT_FOUND", async () => {
    for (const id of [ana.user.id, randomUUID()]) {
      const refused = await http(url, "DELETE", `/api/bots/${id}/token`, as(root));
      assert.equal(refused.status, 404);
      assert.equal(refused.body.error.code, "NOT_FOUND");
    }
    const malformed = await http(url, "DELETE", "/api/bots/not-a-uuid/token", as(root));
    assert.equal(malformed.body.error.code, "VALIDATION_ERROR");
  });

  await t.test("a new token works, the old stays dead", async () => {
    const reissued = await http(url, "POST", `/api/bots/${bot.user.id}/token`, as(root));
    assert.equal(reissued.status, 201);
    assert.notEqual(reissued.body.token, bot.token);
    assert.equal(
      (await http(url, "GET", "/api/users/me", { token: reissued.body.token })).status,
      200,
    );
    assert.equal((await http(url, "GET", "/api/users/me", as(bot))).status, 401);
  });

  await t.test("every bot action is in the audit log", async () => {
    const audit = await http(url, "GET", "/api/admin/audit", as(root));
    const actions = audit.body.entries
      .filter((e: any) => e.target_id === bot.user.id)
      .map((e: any) => e.action);
    assert.deepEqual(actions, ["bot.token.reissue", "bot.token.revoke", "bot.create"]);
    assert.ok(audit.body.entries.every((e: any) => e.actor_id === root.user.id));
  });
});
