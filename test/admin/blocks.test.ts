/**
 * Blocking (CONTRACT.md v2): a blocked user cannot open the direct chat with the blocker (even
 * one that exists) nor send into it, over HTTP or the socket; the blocker still can; unblock.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { emitWithAck, http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("blocking", async (t) => {
  const fixture = await chatFixture(t, ["blo_root", "ana_blk", "ben_blk", "eve_blk"]);
  const {
    url,
    users: [, ana, ben, eve],
  } = fixture;
  const chat = await fixture.direct(ana, ben);
  const group = await fixture.group(ana, [ben], "still fine");

  await t.test("PUT blocks (204, idempotent), GET lists them", async () => {
    const put = () => http(url, "PUT", `/api/users/me/blocks/${ben.user.id}`, { token: ana.token });
    assert.equal((await put()).status, 204);
    assert.equal((await put()).status, 204);
    const listed = await http(url, "GET", "/api/users/me/blocks", { token: ana.token });
    assert.deepEqual(
      listed.body.users.map((u: any) => u.id),
      [ben.user.id],
    );
    assert.equal(
      (await http(url, "PUT", `/api/users/me/blocks/${randomUUID()}`, { token: ana.token })).status,
      404,
    );
    assert.equal(
      (await http(url, "PUT", "/api/users/me/blocks/nope", { token: ana.token })).status,
      400,
    );
  });

  await t.test("the blocked cannot open nor send into the direct chat: FORBIDDEN", async () => {
    const open = await http(url, "POST", "/api/chats", {
      token: ben.token,
      body: { type: "direct", member_ids: [ana.user.id] },
    });
    assert.equal(open.status, 403);
    assert.equal(open.body.error.code, "FORBIDDEN");
    const send = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
      token: ben.token,
      body: { body: "let me talk" },
    });
    assert.equal(send.status, 403, JSON.stringify(send.body));
    const socket = await fixture.connect(ben);
    const ack = await emitWithAck(socket, "message:send", { chat_id: chat.id, body: "socket" });
    assert.equal(ack.ok, false);
    assert.equal(ack.error.code, "FORBIDDEN");
    // Other chats are not affected, and the blocker still can send.
    assert.equal(
      (await emitWithAck(socket, "message:send", { chat_id: group.id, body: "hi" })).ok,
      true,
    );
    const mine = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
      token: ana.token,
      body: { body: "I still can" },
    });
    assert.equal(mine.status, 201);
    const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ana.token });
    assert.deepEqual(
      history.body.messages.map((m: any) => m.body),
      ["I still can"],
    );
    // Someone else opening a chat with the blocker is unaffected.
    const other = await http(url, "POST", "/api/chats", {
      token: eve.token,
      body: { type: "direct", member_ids: [ana.user.id] },
    });
    assert.equal(other.status, 201);
  });

  await t.test("DELETE unblocks: sending works again", async () => {
    const del = await http(url, "DELETE", `/api/users/me/blocks/${ben.user.id}`, {
      token: ana.token,
    });
    assert.equal(del.status, 204);
    const send = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
      token: ben.token,
      body: { body: "thanks" },
    });
    assert.equal(send.status, 201);
    const listed = await http(url, "GET", "/api/users/me/blocks", { token: ana.token });
    assert.deepEqual(listed.body.users, []);
  });
});

test("@charla/client: block, blocks, unblock", async (t) => {
  const { createAdminApi } = await import("@charla/client");
  const fixture = await chatFixture(t, ["cli_blk_a", "cli_blk_b"]);
  const [a, b] = fixture.users;
  const api = createAdminApi(fixture.url, a.token);
  await api.block(b.user.id);
  assert.deepEqual(
    (await api.blocks()).map((u) => u.id),
    [b.user.id],
  );
  await api.unblock(b.user.id);
  assert.deepEqual(await api.blocks(), []);
});
