/**
 * Account self-service: changing the password ends every other session (on this node here;
 * across nodes in test/cluster/accounts.test.ts), refresh issues a fresh token without
 * ending the old one, and closing an account is as the contract says.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  connectError,
  emitWithAck,
  eventually,
  http,
  nextEvent,
  received,
  settle,
} from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

const NEW_PASSWORD = "a-brand-new-password";

test("password change: every other token stops working, sockets end", async (t) => {
  const { url, users, connect } = await chatFixture(t, ["ana"]);
  const [ana] = users;
  const login = (password: string) =>
    http(url, "POST", "/api/auth/login", { body: { username: "ana", password } });
  const other = (await login(ana.password)).body.token as string;
  const socket = await connect(ana);

  const wrong = await http(url, "POST", "/api/auth/password", {
    token: ana.token,
    body: { current_password: "not-the-password", new_password: NEW_PASSWORD },
  });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error.code, "UNAUTHORIZED");
  assert.equal(socket.connected, true);
  assert.equal((await http(url, "GET", "/api/users/me", { token: other })).status, 200);

  const short = await http(url, "POST", "/api/auth/password", {
    token: ana.token,
    body: { current_password: ana.password, new_password: "short" },
  });
  assert.equal(short.status, 400);
  assert.equal(short.body.error.code, "VALIDATION_ERROR");

  const changed = await http(url, "POST", "/api/auth/password", {
    token: ana.token,
    body: { current_password: ana.password, new_password: NEW_PASSWORD },
  });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal(changed.body.user.id, ana.user.id);
  assert.ok(Date.parse(changed.body.expires_at) > Date.now());
  const fresh = changed.body.token as string;

  for (const old of [ana.token, other]) {
    const result = await http(url, "GET", "/api/users/me", { token: old });
    assert.equal(result.status, 401, "the calling token and every other stop working");
  }
  await eventually(() => assert.equal(socket.connected, false));
  assert.equal(
    (await connectError(t, url, { auth: { token: ana.token } })).message,
    "UNAUTHORIZED",
  );

  assert.equal((await http(url, "GET", "/api/users/me", { token: fresh })).status, 200);
  const freshSocket = await connect({ ...ana, token: fresh });
  assert.equal(freshSocket.connected, true);
  assert.equal((await login(ana.password)).status, 401);
  assert.equal((await login(NEW_PASSWORD)).status, 200);
});

test("refresh: a fresh token, and the old one keeps working", async (t) => {
  const { url, users } = await chatFixture(t, ["ana"]);
  const [ana] = users;
  const refreshed = await http(url, "POST", "/api/auth/refresh", { token: ana.token });
  assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  assert.notEqual(refreshed.body.token, ana.token);
  assert.equal(refreshed.body.user.username, "ana");
  assert.ok(Date.parse(refreshed.body.expires_at) > Date.now());
  for (const token of [ana.token, refreshed.body.token]) {
    assert.equal((await http(url, "GET", "/api/users/me", { token })).status, 200);
  }
  assert.equal((await http(url, "POST", "/api/auth/refresh")).status, 401);
  assert.equal((await http(url, "POST", "/api/auth/refresh", { token: "nope" })).status, 401);
});

test("closing an account", async (t) => {
  const fixture = await chatFixture(t, ["ana", "ben", "eve"]);
  const { url, users, connect, direct, group, post } = fixture;
  const [ana, ben, eve] = users;

  await t.test("a wrong password changes nothing", async () => {
    const result = await http(url, "DELETE", "/api/users/me", {
      token: eve.token,
      body: { password: "wrong-password" },
    });
    assert.equal(result.status, 401);
    assert.equal(result.body.error.code, "UNAUTHORIZED");
    assert.equal((await http(url, "GET", "/api/users/me", { token: eve.token })).status, 200);
  });

  await t.test("leaves every chat, ownership passes, shown as deleted", async () => {
    await http(url, "PATCH", "/api/users/me", { token: ana.token, body: { display_name: "Ana" } });
    const team = await group(ana, [ben, eve], "team");
    const pair = await direct(ana, ben);
    const kept = await post(ana, team.id, "this message stays");
    const anaSocket = await connect(ana);
    const benSocket = await connect(ben);
    const removedFromTeam = nextEvent(
      benSocket,
      "chat:member_removed",
      (e: any) => e.chat_id === team.id,
    );
    const removedFromPair = nextEvent(
      benSocket,
      "chat:member_removed",
      (e: any) => e.chat_id === pair.id,
    );

    const closed = await http(url, "DELETE", "/api/users/me", {
      token: ana.token,
      body: { password: ana.password },
    });
    assert.equal(closed.status, 204);
    assert.deepEqual(await removedFromTeam, { chat_id: team.id, user_id: ana.user.id });
    assert.deepEqual(await removedFromPair, { chat_id: pair.id, user_id: ana.user.id });
    await eventually(() => assert.equal(anaSocket.connected, false));

    assert.equal((await http(url, "GET", "/api/users/me", { token: ana.token })).status, 401);
    const login = await http(url, "POST", "/api/auth/login", {
      body: { username: "ana", password: ana.password },
    });
    assert.equal(login.status, 401);
    assert.equal(login.body.error.code, "UNAUTHORIZED");
    const again = await http(url, "POST", "/api/auth/register", {
      body: { username: "ANA", password: ana.password },
    });
    assert.equal(again.status, 409, "the username stays taken");

    const teamNow = (await http(url, "GET", `/api/chats/${team.id}`, { token: ben.token })).body;
    assert.deepEqual(teamNow.members.map((m: any) => m.username).sort(), ["ben", "eve"]);
    assert.equal(
      teamNow.members.filter((m: any) => m.role === "owner").length,
      1,
      "the group passed to another member",
    );
    const history = await http(url, "GET", `/api/chats/${team.id}/messages`, { token: ben.token });
    assert.equal(history.body.messages.find((m: any) => m.id === kept.id).body, kept.body);

    const shown = (await http(url, "GET", "/api/users?q=ana", { token: ben.token })).body.users;
    assert.deepEqual(shown, [
      {
        id: ana.user.id,
        username: "ana",
        display_name: null,
        avatar_url: null,
        deleted: true,
        online: false,
      },
    ]);
    // A closed account cannot be brought back into a chat.
    const reopen = await http(url, "POST", "/api/chats", {
      token: ben.token,
      body: { type: "direct", member_ids: [ana.user.id] },
    });
    assert.equal(reopen.status, 404);
    await settle(benSocket);
    assert.equal(
      received(benSocket).filter((e) => e.event === "chat:created").length,
      0,
      "nothing was reopened",
    );
  });

  await t.test("erase_messages: every message it sent becomes deleted", async () => {
    const gone = await fixture.register("gone");
    const chat = await direct(gone, ben);
    const first = await post(gone, chat.id, "one");
    const second = await post(gone, chat.id, "two");
    const benOwn = await post(ben, chat.id, "mine stays");
    const benSocket = await connect(ben);
    const deletes = [first.id, second.id].map((id) =>
      nextEvent(benSocket, "message:delete", (e: any) => e.id === id),
    );
    const closed = await http(url, "DELETE", "/api/users/me", {
      token: gone.token,
      body: { password: gone.password, erase_messages: true },
    });
    assert.equal(closed.status, 204);
    const [d1, d2] = await Promise.all(deletes);
    assert.ok(d1.change_seq > benOwn.change_seq && d2.change_seq > d1.change_seq);
    const history = (await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ben.token }))
      .body.messages;
    assert.deepEqual(
      history.map((m: any) => [m.body, m.status]),
      [
        ["", "deleted"],
        ["", "deleted"],
        ["mine stays", "sent"],
      ],
    );
    const sync = await emitWithAck(benSocket, "sync", {
      chats: [{ chat_id: chat.id, after_change_seq: benOwn.change_seq }],
    });
    assert.deepEqual(
      sync.chats.find((c: any) => c.chat_id === chat.id).messages.map((m: any) => m.id),
      [first.id, second.id],
      "the erasure reaches sync",
    );
  });

  await t.test("validation: password required", async () => {
    const result = await http(url, "DELETE", "/api/users/me", { token: eve.token, body: {} });
    assert.equal(result.status, 400);
    assert.equal(result.body.error.code, "VALIDATION_ERROR");
  });
});
