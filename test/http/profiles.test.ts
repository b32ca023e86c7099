/**
 * Profiles: PATCH /api/users/me sets the display name (trimmed, 1–64 code points, null
 * clears it); user objects, chat members, presence payloads and users:list carry it, and
 * every change reaches the user's own sockets and others as `user:updated`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eventually, http, nextEvent, received, settle } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("display names: set, trimmed, cleared, validated, announced", async (t) => {
  const { url, users, connect, direct } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  const patch = (body: unknown, token = ana.token) =>
    http(url, "PATCH", "/api/users/me", { token, body });

  const chat = await direct(ana, ben);
  const anaSocket = await connect(ana);
  const benSocket = await connect(ben);

  const anaHears = nextEvent(anaSocket, "user:updated");
  const benHears = nextEvent(benSocket, "user:updated");
  const set = await patch({ display_name: "  Ana María 🌵  " });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal(set.body.display_name, "Ana María 🌵");
  assert.equal(set.body.avatar_url, null);
  assert.equal(set.body.username, "ana");
  const announced = {
    user_id: ana.user.id,
    username: "ana",
    display_name: "Ana María 🌵",
    avatar_url: null,
  };
  assert.deepEqual(await anaHears, announced, "the user's own sockets hear it");
  assert.deepEqual(await benHears, announced, "a contact hears it");

  const me = await http(url, "GET", "/api/users/me", { token: ana.token });
  assert.equal(me.body.display_name, "Ana María 🌵");
  const members = (await http(url, "GET", `/api/chats/${chat.id}`, { token: ben.token })).body
    .members;
  assert.equal(members.find((m: any) => m.user_id === ana.user.id).display_name, "Ana María 🌵");
  const found = await http(url, "GET", "/api/users?q=ana", { token: ben.token });
  assert.equal(found.body.users[0].display_name, "Ana María 🌵");

  // 64 code points (emoji count once) pass; 65 and blank do not.
  assert.equal((await patch({ display_name: "🌵".repeat(64) })).status, 200);
  for (const bad of [{ display_name: "🌵".repeat(65) }, { display_name: "   " }, {}, { x: 1 }]) {
    const result = await patch(bad);
    assert.equal(result.status, 400, JSON.stringify(bad));
    assert.equal(result.body.error.code, "VALIDATION_ERROR");
  }
  assert.equal((await patch({ display_name: 5 })).status, 400);

  const cleared = await patch({ display_name: null });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.body.display_name, null);
  // The announcement follows the answer (it waits for a query), so no barrier is one: wait
  // for the clear, then check nothing older came after it.
  await eventually(() => {
    const heard = received(benSocket).filter((e) => e.event === "user:updated");
    assert.deepEqual(
      heard.map((e) => e.payload.display_name),
      ["Ana María 🌵", "🌵".repeat(64), null],
      "every change, in the order made",
    );
  });

  assert.equal((await http(url, "PATCH", "/api/users/me", { body: {} })).status, 401);
});

test("user:updated follows the presence scope: contacts and own sockets, not strangers", async (t) => {
  const { url, users, connect, direct } = await chatFixture(t, ["ana", "ben", "cyd"]);
  const [ana, ben, cy] = users;
  await direct(ana, ben);
  const benSocket = await connect(ben);
  const cySocket = await connect(cy);

  const benHears = nextEvent(benSocket, "user:updated");
  const set = await http(url, "PATCH", "/api/users/me", {
    token: ana.token,
    body: { display_name: "Ana" },
  });
  assert.equal(set.status, 200);
  assert.equal((await benHears).display_name, "Ana");
  // The barrier: anything emitted to cyd together with ben's copy came before this answer.
  await settle(cySocket);
  assert.deepEqual(
    received(cySocket).filter((e) => e.event === "user:updated"),
    [],
    "cyd shares no chat with ana",
  );
});

test("presence payloads carry the display name and avatar", async (t) => {
  const { url, users, connect, direct } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  await direct(ana, ben);
  for (const [user, name] of [
    [ana, "Ana"],
    [ben, "Ben"],
  ] as const) {
    const set = await http(url, "PATCH", "/api/users/me", {
      token: user.token,
      body: { display_name: name },
    });
    assert.equal(set.status, 200);
  }

  const anaSocket = await connect(ana);
  const benArrives = nextEvent(anaSocket, "user:connected");
  const benSocket = await connect(ben);
  assert.deepEqual(await benArrives, {
    user_id: ben.user.id,
    username: "ben",
    display_name: "Ben",
    avatar_url: null,
  });
  const list = await eventually(() => {
    const event = received(benSocket).find((e) => e.event === "users:list");
    assert.ok(event, "users:list arrives");
    return event.payload.users;
  });
  const byId = new Map(list.map((u: any) => [u.user_id, u]));
  assert.equal((byId.get(ana.user.id) as any)?.display_name, "Ana", JSON.stringify(list));
  assert.equal((byId.get(ben.user.id) as any)?.display_name, "Ben", JSON.stringify(list));
});
