/**
 * A group's name and description (`PATCH /api/chats/:id`, owner or group admin, announced as
 * `chat:updated`) and each member's own mute (`PUT /api/chats/:id/settings`, in the list).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { http, nextEvent, received, settle } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("the owner renames and describes a group; members hear chat:updated", async (t) => {
  const { url, users, group, direct, connect } = await chatFixture(t, ["ana", "ben", "eve"]);
  const [ana, ben, eve] = users;
  const chat = await group(ana, [ben], "Cena");
  assert.equal(chat.description, null);
  const [benSocket, eveSocket] = await Promise.all([connect(ben), connect(eve)]);

  const heard = nextEvent(benSocket, "chat:updated");
  const renamed = await http(url, "PATCH", `/api/chats/${chat.id}`, {
    token: ana.token,
    body: { name: "  Cena del viernes ", description: "En casa de Ana, a las 21 h" },
  });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.name, "Cena del viernes");
  assert.equal(renamed.body.description, "En casa de Ana, a las 21 h");
  assert.deepEqual(await heard, renamed.body);

  // Only what is given changes; null clears the description.
  const cleared = await http(url, "PATCH", `/api/chats/${chat.id}`, {
    token: ana.token,
    body: { description: null },
  });
  assert.equal(cleared.body.name, "Cena del viernes");
  assert.equal(cleared.body.description, null);
  const list = await http(url, "GET", "/api/chats", { token: ben.token });
  assert.equal(list.body.chats[0].name, "Cena del viernes");
  assert.equal(list.body.chats[0].description, null);

  // A plain member, a direct chat: FORBIDDEN; an outsider: NOT_FOUND; bad input: 400.
  const asMember = await http(url, "PATCH", `/api/chats/${chat.id}`, {
    token: ben.token,
    body: { name: "mine" },
  });
  assert.equal(asMember.status, 403);
  const pair = await direct(ana, ben);
  const asDirect = await http(url, "PATCH", `/api/chats/${pair.id}`, {
    token: ana.token,
    body: { name: "x" },
  });
  assert.equal(asDirect.status, 403);
  const asOutsider = await http(url, "PATCH", `/api/chats/${chat.id}`, {
    token: eve.token,
    body: { name: "x" },
  });
  assert.equal(asOutsider.status, 404);
  for (const body of [
    {},
    { name: "" },
    { name: "   " },
    { description: "x".repeat(501) },
    { x: 1 },
  ]) {
    const response = await http(url, "PATCH", `/api/chats/${chat.id}`, { token: ana.token, body });
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.equal(response.body.error.code, "VALIDATION_ERROR");
  }
  await settle(eveSocket);
  assert.equal(received(eveSocket).filter((e) => e.event === "chat:updated").length, 0);
});

test("each member mutes a chat for themselves", async (t) => {
  const { url, users, group } = await chatFixture(t, ["ana", "ben", "eve"]);
  const [ana, ben, eve] = users;
  const chat = await group(ana, [ben]);
  const mutedOf = async (token: string) =>
    (await http(url, "GET", "/api/chats", { token })).body.chats[0].muted;
  assert.equal(await mutedOf(ben.token), false);

  const muted = await http(url, "PUT", `/api/chats/${chat.id}/settings`, {
    token: ben.token,
    body: { muted: true },
  });
  assert.equal(muted.status, 200);
  assert.deepEqual(muted.body, { muted: true });
  assert.equal(await mutedOf(ben.token), true);
  assert.equal(await mutedOf(ana.token), false, "only for ben");

  const unmuted = await http(url, "PUT", `/api/chats/${chat.id}/settings`, {
    token: ben.token,
    body: { muted: false },
  });
  assert.deepEqual(unmuted.body, { muted: false });
  assert.equal(await mutedOf(ben.token), false);

  const outsider = await http(url, "PUT", `/api/chats/${chat.id}/settings`, {
    token: eve.token,
    body: { muted: true },
  });
  assert.equal(outsider.status, 404);
  const bad = await http(url, "PUT", `/api/chats/${chat.id}/settings`, {
    token: ben.token,
    body: { muted: "yes" },
  });
  assert.equal(bad.status, 400);
});
