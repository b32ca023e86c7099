/**
 * /api/admin/* (CONTRACT.md v2, "Administration"): admins only; users with search;
 * deactivation ends tokens and sockets for good, login then FORBIDDEN; reactivation; deleting
 * any message; reports; every admin action in the audit log.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { connectError, http, nextEvent } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("the admin API", async (t) => {
  // The fixture's only user registers first: the server's admin.
  const fixture = await chatFixture(t, ["root"]);
  const {
    url,
    users: [root],
  } = fixture;
  assert.equal(root.user.role, "admin");
  const [ana, ben, eve] = await Promise.all([
    fixture.register("ana_admin_api"),
    fixture.register("ben_admin_api"),
    fixture.register("eve_admin_api"),
  ]);
  const as = (user: { token: string }) => ({ token: user.token });

  await t.test("others are FORBIDDEN, no token UNAUTHORIZED", async () => {
    for (const [method, path] of [
      ["GET", "/api/admin/users"],
      ["POST", `/api/admin/users/${ben.user.id}/deactivate`],
      ["POST", `/api/admin/users/${ben.user.id}/reactivate`],
      ["DELETE", `/api/admin/messages/${randomUUID()}`],
      ["GET", "/api/admin/reports"],
      ["GET", "/api/admin/audit"],
    ] as const) {
      const refused = await http(url, method, path, as(ana));
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.equal(refused.body.error.code, "FORBIDDEN");
      assert.equal((await http(url, method, path)).status, 401, `${method} ${path}`);
    }
  });

  await t.test("users: search by part of the name, with role and deactivated_at", async () => {
    const found = await http(url, "GET", "/api/admin/users?q=_ADMIN_api", as(root));
    assert.equal(found.status, 200);
    assert.deepEqual(
      found.body.users.map((u: any) => u.username),
      ["ana_admin_api", "ben_admin_api", "eve_admin_api"],
    );
    assert.deepEqual(found.body.users[0], { ...ana.user, deactivated_at: null });
  });

  await t.test("deactivate: sockets end, tokens stay dead, login FORBIDDEN", async () => {
    const socket = await fixture.connect(eve);
    const closed = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    const done = await http(url, "POST", `/api/admin/users/${eve.user.id}/deactivate`, as(root));
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.id, eve.user.id);
    assert.ok(done.body.deactivated_at);
    assert.equal(await closed, "io server disconnect");

    assert.equal((await http(url, "GET", "/api/users/me", as(eve))).status, 401);
    const refused = await connectError(t, url, { auth: { token: eve.token } });
    assert.equal(refused.message, "UNAUTHORIZED");
    const login = await http(url, "POST", "/api/auth/login", {
      body: { username: eve.user.username, password: eve.password },
    });
    assert.equal(login.status, 403);
    assert.equal(login.body.error.code, "FORBIDDEN");
    assert.match(login.body.error.message, /deactivated/);
    const wrong = await http(url, "POST", "/api/auth/login", {
      body: { username: eve.user.username, password: "not-her-password" },
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, "UNAUTHORIZED");

    const listed = await http(url, "GET", "/api/admin/users?q=eve_admin", as(root));
    assert.equal(listed.body.users[0].deactivated_at, done.body.deactivated_at);
  });

  await t.test("reactivate: login works again; tokens from before stay revoked", async () => {
    const done = await http(url, "POST", `/api/admin/users/${eve.user.id}/reactivate`, as(root));
    assert.equal(done.status, 200);
    assert.equal(done.body.deactivated_at, null);
    assert.equal((await http(url, "GET", "/api/users/me", as(eve))).status, 401);
    const login = await http(url, "POST", "/api/auth/login", {
      body: { username: eve.user.username, password: eve.password },
    });
    assert.equal(login.status, 200);
    assert.equal((await http(url, "GET", "/api/users/me", as(login.body))).status, 200);
  });

  await t.test("deactivate: yourself FORBIDDEN, unknown NOT_FOUND, malformed 400", async () => {
    const self = await http(url, "POST", `/api/admin/users/${root.user.id}/deactivate`, as(root));
    assert.equal(self.status, 403);
    const unknown = await http(
      url,
      "POST",
      `/api/admin/users/${randomUUID()}/deactivate`,
      as(root),
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "NOT_FOUND");
    const malformed = await http(url, "POST", "/api/admin/users/nope/deactivate", as(root));
    assert.equal(malformed.status, 400);
  });

  let takenDown = "";
  await t.test("delete any message: broadcast to the members as usual", async () => {
    const chat = await fixture.direct(ana, ben);
    const message = await fixture.post(ana, chat.id, "something to take down");
    takenDown = message.id;
    const bens = await fixture.connect(ben);
    const deleted = nextEvent(bens, "message:delete");
    const done = await http(url, "DELETE", `/api/admin/messages/${message.id}`, as(root));
    assert.equal(done.status, 204);
    assert.equal((await deleted).id, message.id);
    const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, as(ben));
    assert.equal(history.body.messages[0].status, "deleted");
    assert.equal(history.body.messages[0].body, "");
    const again = await http(url, "DELETE", `/api/admin/messages/${message.id}`, as(root));
    assert.equal(again.status, 404);
  });

  await t.test("reports: members report; admins list them with the message", async () => {
    const chat = await fixture.group(ana, [ben], "reported");
    const message = await fixture.post(ben, chat.id, "rude words");
    const report = await http(url, "POST", `/api/messages/${message.id}/report`, {
      ...as(ana),
      body: { reason: "  rude  " },
    });
    assert.equal(report.status, 201, JSON.stringify(report.body));
    assert.equal(report.body.reason, "rude");
    assert.equal(report.body.reporter_id, ana.user.id);
    assert.equal(report.body.message.id, message.id);
    // One's own message, and repeats, are allowed.
    const own = await http(url, "POST", `/api/messages/${message.id}/report`, {
      ...as(ben),
      body: { reason: "I regret it" },
    });
    assert.equal(own.status, 201);
    const notMember = await http(url, "POST", `/api/messages/${message.id}/report`, {
      ...as(root),
      body: { reason: "x" },
    });
    assert.equal(notMember.status, 404);
    for (const reason of ["   ", "x".repeat(501)]) {
      const bad = await http(url, "POST", `/api/messages/${message.id}/report`, {
        ...as(ana),
        body: { reason },
      });
      assert.equal(bad.status, 400, reason.slice(0, 10));
      assert.equal(bad.body.error.code, "VALIDATION_ERROR");
    }
    assert.equal(
      (
        await http(url, "POST", `/api/messages/${message.id}/report`, {
          ...as(ana),
          body: { reason: "🙂".repeat(500) },
        })
      ).status,
      201,
      "500 characters counted in code points",
    );

    const listed = await http(url, "GET", "/api/admin/reports", as(root));
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.reports.slice(0, 3).map((r: any) => r.reporter_id),
      [ana.user.id, ben.user.id, ana.user.id],
      "newest first",
    );
    assert.deepEqual(listed.body.reports[2], report.body);
    const page = await http(
      url,
      "GET",
      `/api/admin/reports?limit=1&before=${listed.body.reports[1].id}`,
      as(root),
    );
    assert.deepEqual(page.body.reports, [report.body]);
  });

  await t.test("the audit log: every admin action, who, what, when, target", async () => {
    const invite = await http(url, "POST", "/api/invites", { ...as(root), body: {} });
    assert.equal(invite.status, 201);
    const { status, body } = await http(url, "GET", "/api/admin/audit", as(root));
    assert.equal(status, 200);
    const entries = body.entries as any[];
    assert.deepEqual(
      entries.map((e) => [e.action, e.target_type]),
      [
        ["invite.create", "invite"],
        ["message.delete", "message"],
        ["user.reactivate", "user"],
        ["user.deactivate", "user"],
      ],
    );
    for (const entry of entries) {
      assert.equal(entry.actor_id, root.user.id);
      assert.ok(Date.parse(entry.created_at) > 0);
      assert.deepEqual(Object.keys(entry).sort(), [
        "action",
        "actor_id",
        "created_at",
        "id",
        "target_id",
        "target_type",
      ]);
    }
    // The refused attempts (yourself, unknown, a second delete) left no entry.
    assert.deepEqual(
      entries.slice(1).map((e) => e.target_id),
      [takenDown, eve.user.id, eve.user.id],
    );
    assert.match(entries[0].target_id, /^[0-9a-f-]{36}$/);
  });
});
