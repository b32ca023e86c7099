/**
 * Incoming webhooks (CONTRACT.md v2): a group's owner or admin makes one and gets its URL
 * once; POST <url> { text } with no other credential posts as the webhook's bot through the
 * users' send path (members' sockets get message:send, history and sync have it); rate
 * limited per webhook; a deleted webhook answers 404, and so does one whose bot a manager
 * removed from the group, which is deleted with it (no longer listed); the audit log names
 * the group of each change.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { emitWithAck, http, nextEvent } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { testConfig } from "../support/server.ts";
import { hashSecret } from "../../src/server/domain/secrets.ts";
import { loggedUrl } from "../../src/server/http/request-log.ts";

test("incoming webhooks", async (t) => {
  const base = testConfig();
  const fixture = await chatFixture(t, ["owner_inhook"], {
    rateLimits: { ...base.rateLimits!, webhookPosts: 5, webhookPostWindowSeconds: 60 },
  });
  const {
    url,
    app,
    users: [owner],
  } = fixture;
  const [ana, ben, eve] = await Promise.all([
    fixture.register("ana_inhook"),
    fixture.register("ben_inhook"),
    fixture.register("eve_inhook"),
  ]);
  const group = await fixture.group(owner, [ana, ben], "ops");
  const as = (user: { token: string }) => ({ token: user.token });
  const path = `/api/chats/${group.id}/webhooks`;

  const created = await http(url, "POST", path, { ...as(owner), body: { name: " CI " } });
  const hookUrl = new URL(created.body.url as string);

  await t.test(
    "create: 201 { id, name, url } with url absolute on the server's origin",
    async () => {
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.name, "CI");
      assert.equal(hookUrl.origin, url);
      const secret = hookUrl.pathname.split("/").pop()!;
      assert.ok(secret.length >= 32);
      // Only a hash of the secret is kept.
      const found = await app.store.webhooks.findIncomingByTokenHash(hashSecret(secret));
      assert.equal(found?.webhook.id, created.body.id);
      assert.notEqual(found?.tokenHash, secret);
      assert.equal(loggedUrl(hookUrl.pathname), "/api/hooks/<secret>");
    },
  );

  await t.test("who: a member FORBIDDEN, a non-member NOT_FOUND, a group admin may", async () => {
    const byMember = await http(url, "POST", path, { ...as(ana), body: { name: "x" } });
    assert.equal(byMember.status, 403);
    assert.equal(byMember.body.error.code, "FORBIDDEN");
    assert.equal((await http(url, "GET", path, as(ana))).status, 403);
    const byStranger = await http(url, "POST", path, { ...as(eve), body: { name: "x" } });
    assert.equal(byStranger.status, 404);
    assert.equal((await http(url, "GET", path, as(eve))).status, 404);
    assert.equal((await http(url, "POST", path, { body: { name: "x" } })).status, 401);
    const direct = await fixture.direct(owner, eve);
    const inDirect = await http(url, "POST", `/api/chats/${direct.id}/webhooks`, {
      ...as(owner),
      body: { name: "x" },
    });
    assert.equal(inDirect.status, 403);
    const promoted = await http(url, "PATCH", `/api/chats/${group.id}/members/${ben.user.id}`, {
      ...as(owner),
      body: { role: "admin" },
    });
    assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
    const byAdmin = await http(url, "POST", path, { ...as(ben), body: { name: "by admin" } });
    assert.equal(byAdmin.status, 201);
    for (const body of [{}, { name: "   " }, { name: "x".repeat(81) }, { name: "x", more: 1 }]) {
      const refused = await http(url, "POST", path, { ...as(owner), body });
      assert.equal(refused.body.error?.code, "VALIDATION_ERROR", JSON.stringify(body));
    }
  });

  await t.test("POST <url> { text } posts as the webhook's bot through the send path", async () => {
    const socket = await fixture.connect(ana);
    const live = nextEvent(socket, "message:send", (m: any) => m.body === "build #42 passed");
    const posted = await http(url, "POST", hookUrl.pathname, {
      body: { text: "  build #42 passed " },
    });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    assert.equal(posted.body.body, "build #42 passed");
    assert.equal(posted.body.chat_id, group.id);
    assert.equal(posted.body.sender_id, created.body.bot_id);
    assert.deepEqual(await live, posted.body);
    const history = await http(url, "GET", `/api/chats/${group.id}/messages`, as(ana));
    assert.deepEqual(history.body.messages.at(-1), posted.body);
    const synced = await emitWithAck(socket, "sync", {
      chats: [{ chat_id: group.id, after_change_seq: posted.body.change_seq - 1 }],
    });
    assert.deepEqual(synced.chats[0].messages, [posted.body]);
    const chat = await http(url, "GET", `/api/chats/${group.id}`, as(ana));
    const bot = chat.body.members.find((m: any) => m.user_id === created.body.bot_id);
    assert.equal(bot?.role, "member");
  });

  await t.test("bad input VALIDATION_ERROR; an unknown secret NOT_FOUND", async () => {
    for (const body of [{}, { text: "   " }, { text: 1 }, { text: "x", extra: true }]) {
      const refused = await http(url, "POST", hookUrl.pathname, { body });
      assert.equal(refused.status, 400, JSON.stringify(body));
    }
    const unknown = await http(url, "POST", `/api/hooks/whk_${randomUUID()}`, {
      body: { text: "x" },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "NOT_FOUND");
  });

  await t.test("list: the group's webhooks, without their URLs", async () => {
    const listed = await http(url, "GET", path, as(owner));
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.webhooks.map((w: any) => w.name),
      ["CI", "by admin"],
    );
    assert.equal(JSON.stringify(listed.body).includes(hookUrl.pathname), false);
  });

  await t.test("rate limited per webhook", async () => {
    // Two posts were spent above (one stored, one empty after trimming): 5 a minute.
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await http(url, "POST", hookUrl.pathname, { body: { text: `n${i}` } })).status,
      );
    }
    assert.deepEqual(statuses, [201, 201, 201, 429]);
  });

  await t.test(
    "a webhook whose bot an admin deactivated posts nothing until reactivated",
    async () => {
      const other = await http(url, "POST", path, { ...as(owner), body: { name: "Deploys" } });
      const otherPath = new URL(other.body.url as string).pathname;
      const admin = `/api/admin/users/${other.body.bot_id}`;
      assert.equal((await http(url, "POST", `${admin}/deactivate`, as(owner))).status, 200);
      const refused = await http(url, "POST", otherPath, { body: { text: "deploy 7" } });
      assert.equal(refused.status, 404);
      assert.equal(refused.body.error.code, "NOT_FOUND");
      assert.equal((await http(url, "POST", `${admin}/reactivate`, as(owner))).status, 200);
      const posted = await http(url, "POST", otherPath, { body: { text: "deploy 8" } });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      const history = await http(url, "GET", `/api/chats/${group.id}/messages`, as(ana));
      const bodies = history.body.messages.map((m: any) => m.body);
      assert.ok(bodies.includes("deploy 8") && !bodies.includes("deploy 7"));
      assert.equal((await http(url, "DELETE", `${path}/${other.body.id}`, as(owner))).status, 204);
    },
  );

  await t.test("delete: 204, the URL answers 404, the bot leaves the chat", async () => {
    const socket = await fixture.connect(ana);
    const left = nextEvent(socket, "chat:member_removed");
    const deleted = await http(url, "DELETE", `${path}/${created.body.id}`, as(owner));
    assert.equal(deleted.status, 204);
    assert.deepEqual(await left, { chat_id: group.id, user_id: created.body.bot_id });
    const gone = await http(url, "POST", hookUrl.pathname, { body: { text: "x" } });
    assert.equal(gone.status, 404);
    const again = await http(url, "DELETE", `${path}/${created.body.id}`, as(owner));
    assert.equal(again.status, 404);
  });

  await t.test(
    "removing a webhook's bot from the group deletes the webhook: not listed, its URL 404",
    async () => {
      const made = await http(url, "POST", path, { ...as(ben), body: { name: "Alerts" } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const alertsUrl = new URL(made.body.url as string).pathname;
      const names = async () =>
        (await http(url, "GET", path, as(owner))).body.webhooks.map((w: any) => w.name);
      assert.deepEqual(await names(), ["by admin", "Alerts"]);
      assert.equal((await http(url, "POST", alertsUrl, { body: { text: "up" } })).status, 201);

      // ben, a group admin, removes the bot from the members (as the Members dialog does).
      const socket = await fixture.connect(ana);
      const left = nextEvent(socket, "chat:member_removed");
      const removed = await http(
        url,
        "DELETE",
        `/api/chats/${group.id}/members/${made.body.bot_id}`,
        as(ben),
      );
      assert.equal(removed.status, 204, JSON.stringify(removed.body));
      assert.deepEqual(await left, { chat_id: group.id, user_id: made.body.bot_id });
      assert.deepEqual(await names(), ["by admin"]);
      const gone = await http(url, "POST", alertsUrl, { body: { text: "still up?" } });
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, "NOT_FOUND");
      const again = await http(url, "DELETE", `${path}/${made.body.id}`, as(owner));
      assert.equal(again.status, 404);
      const chat = await http(url, "GET", `/api/chats/${group.id}`, as(ana));
      assert.equal(
        chat.body.members.some((m: any) => m.user_id === made.body.bot_id),
        false,
      );
    },
  );

  await t.test("the audit log names the group of each incoming webhook change", async () => {
    const audit = await http(url, "GET", "/api/admin/audit", as(owner));
    assert.equal(audit.status, 200);
    const webhookEntries = audit.body.entries
      .filter((e: any) => e.action.startsWith("webhook.incoming."))
      .map((e: any) => [e.action, e.actor_id, e.target_type, e.target_id]);
    // Newest first: ben's removal of the Alerts bot, ben's Alerts, the owner's delete of
    // CI, the owner's Deploys (deleted, created), ben's "by admin", the owner's CI.
    assert.deepEqual(webhookEntries, [
      ["webhook.incoming.delete", ben.user.id, "chat", group.id],
      ["webhook.incoming.create", ben.user.id, "chat", group.id],
      ["webhook.incoming.delete", owner.user.id, "chat", group.id],
      ["webhook.incoming.delete", owner.user.id, "chat", group.id],
      ["webhook.incoming.create", owner.user.id, "chat", group.id],
      ["webhook.incoming.create", ben.user.id, "chat", group.id],
      ["webhook.incoming.create", owner.user.id, "chat", group.id],
    ]);
  });
});
