/**
 * Server roles, REGISTRATION modes and invites (CONTRACT.md v2, "Administration"): the first
 * account is admin whatever the mode, ADMIN_USERNAMES, and every FORBIDDEN of registration.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { http, uniqueName } from "../support/clients.ts";
import { startServer } from "../support/server.ts";

const PASSWORD = "correct-horse-battery";

function register(url: string, username: string, invite?: string) {
  return http(url, "POST", "/api/auth/register", {
    body:
      invite === undefined
        ? { username, password: PASSWORD }
        : { username, password: PASSWORD, invite },
  });
}

function assertForbidden(result: { status: number; body: any }, words: RegExp) {
  assert.equal(result.status, 403, JSON.stringify(result.body));
  assert.equal(result.body.error.code, "FORBIDDEN");
  assert.match(result.body.error.message, words);
}

test("REGISTRATION=closed: the first account is accepted as admin, nobody after it", async (t) => {
  const { url } = await startServer(t, { registration: "closed" });
  const first = await register(url, "founder");
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.user.role, "admin");
  assert.equal(first.body.user.bot, false);

  assertForbidden(await register(url, "second"), /closed/);
  // Invites do not open a closed server.
  const invite = await http(url, "POST", "/api/invites", { token: first.body.token, body: {} });
  assert.equal(invite.status, 201);
  assertForbidden(await register(url, "invited", invite.body.code), /closed/);
});

test("REGISTRATION=open: the first account is admin, the others users", async (t) => {
  const { url } = await startServer(t);
  const first = await register(url, uniqueName("first"));
  const second = await register(url, uniqueName("second"));
  assert.equal(first.body.user.role, "admin");
  assert.equal(second.body.user.role, "user");
  const me = await http(url, "GET", "/api/users/me", { token: second.body.token });
  assert.equal(me.body.role, "user");
});

test("REGISTRATION=invite: invites, their uses and expiry", async (t) => {
  const { url } = await startServer(t, { registration: "invite" });
  const admin = (await register(url, "admin_one")).body;
  assert.equal(admin.user.role, "admin");

  await t.test("without an invite, or with an unknown one: FORBIDDEN", async () => {
    assertForbidden(await register(url, uniqueName()), /invite/);
    assertForbidden(await register(url, uniqueName(), "no-such-invite-code"), /invite/);
  });

  await t.test("an invite: 201 with code, url, expiry and one use by default", async () => {
    const before = Date.now();
    const created = await http(url, "POST", "/api/invites", { token: admin.token, body: {} });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { code, url: link, expires_at, max_uses } = created.body;
    assert.deepEqual(Object.keys(created.body).sort(), ["code", "expires_at", "max_uses", "url"]);
    assert.equal(max_uses, 1);
    assert.ok(code.length >= 32, "a code that cannot be guessed");
    assert.equal(link, `${url}/register?invite=${code}`);
    const lifetime = Date.parse(expires_at) - before;
    assert.ok(Math.abs(lifetime - 7 * 86_400_000) < 60_000, expires_at);

    const guest = await register(url, uniqueName("guest"), code);
    assert.equal(guest.status, 201, JSON.stringify(guest.body));
    assert.equal(guest.body.user.role, "user");
    assertForbidden(await register(url, uniqueName("late"), code), /used up/);
  });

  await t.test("max_uses: that many registrations, then FORBIDDEN", async () => {
    const { body } = await http(url, "POST", "/api/invites", {
      token: admin.token,
      body: { max_uses: 2, expires_in_seconds: 3600 },
    });
    assert.equal(body.max_uses, 2);
    assert.equal((await register(url, uniqueName(), body.code)).status, 201);
    // A refused registration (name taken) does not spend a use.
    assert.equal((await register(url, "admin_one", body.code)).status, 409);
    assert.equal((await register(url, uniqueName(), body.code)).status, 201);
    assertForbidden(await register(url, uniqueName(), body.code), /invite/);
  });

  await t.test("only an admin creates invites; bad input is VALIDATION_ERROR", async () => {
    const { body } = await http(url, "POST", "/api/invites", { token: admin.token, body: {} });
    const user = (await register(url, uniqueName(), body.code)).body;
    const refused = await http(url, "POST", "/api/invites", { token: user.token, body: {} });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "FORBIDDEN");
    assert.equal((await http(url, "POST", "/api/invites", { body: {} })).status, 401);
    for (const bad of [{ max_uses: 0 }, { expires_in_seconds: -1 }, { max_uses: "2" }, { x: 1 }]) {
      const result = await http(url, "POST", "/api/invites", { token: admin.token, body: bad });
      assert.equal(result.status, 400, JSON.stringify(bad));
      assert.equal(result.body.error.code, "VALIDATION_ERROR");
    }
    const badCode = await register(url, uniqueName(), "has spaces");
    assert.equal(badCode.status, 400);
  });
});

test("ADMIN_USERNAMES: those accounts are admins when they register (any letter case)", async (t) => {
  const { url } = await startServer(t, { adminUsernames: ["boss"] });
  await register(url, uniqueName("first"));
  const boss = await register(url, "Boss");
  assert.equal(boss.body.user.role, "admin");
  const other = await register(url, uniqueName("other"));
  assert.equal(other.body.user.role, "user");
});

test("@charla/client: createAdminApi().createInvite, register with the invite", async (t) => {
  const { createAdminApi, createHttpApi, ChatError } = await import("@charla/client");
  const { url } = await startServer(t, { registration: "invite" });
  const api = createHttpApi(url);
  const admin = await api.register({ username: "client_admin", password: PASSWORD });
  const invite = await createAdminApi(url, admin.token).createInvite({ max_uses: 1 });
  const guest = await api.register({
    username: "client_guest",
    password: PASSWORD,
    invite: invite.code,
  });
  assert.equal(guest.user.role, "user");
  await assert.rejects(
    createAdminApi(url, guest.token).createInvite(),
    (error) => error instanceof ChatError && error.code === "FORBIDDEN",
  );
  const adminApi = createAdminApi(url, admin.token);
  assert.deepEqual(
    (await adminApi.users()).map((u) => [u.username, u.role]),
    [
      ["client_admin", "admin"],
      ["client_guest", "user"],
    ],
  );
  assert.equal((await adminApi.deactivate(guest.user.id)).id, guest.user.id);
  assert.deepEqual(
    (await adminApi.audit()).map((e) => e.action),
    ["user.deactivate", "invite.create"],
  );
});
