/** GET /api/search as members use it: their chats only, pages, and bad input refused. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { eventually, http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("search finds the caller's messages by their words, newest first, page by page", async (t) => {
  const { url, users, direct, group, post } = await chatFixture(t, ["ana", "ben", "eve"]);
  const [ana, ben, eve] = users;
  const chat = await direct(ana, ben);
  const first = await post(ana, chat.id, "Mañana vamos a la playa");
  const second = await post(ben, chat.id, "¿A qué PLAYA? La de siempre");
  const secret = await group(eve, [], "eve's");
  await post(eve, secret.id, "playa secreta");

  const search = (token: string, query: string) =>
    http(url, "GET", `/api/search?${query}`, { token });
  const all = await search(ben.token, "q=playa");
  assert.equal(all.status, 200);
  assert.deepEqual(
    all.body.results.map((r: any) => [r.chat_id, r.message.id]),
    [
      [chat.id, second.id],
      [chat.id, first.id],
    ],
  );
  assert.equal(all.body.has_more, false);
  assert.deepEqual(all.body.results[0].message.reactions, [], "whole messages");

  const page = await search(ben.token, "q=playa&limit=1");
  assert.deepEqual([page.body.results.length, page.body.has_more], [1, true]);
  const rest = await search(ben.token, `q=playa&limit=1&before=${page.body.results[0].message.id}`);
  assert.deepEqual(
    rest.body.results.map((r: any) => r.message.id),
    [first.id],
  );
  const accents = await search(ana.token, `q=${encodeURIComponent("MANANA")}&chat_id=${chat.id}`);
  assert.deepEqual(
    accents.body.results.map((r: any) => r.message.id),
    [first.id],
  );

  assert.equal((await search(ben.token, `q=playa&chat_id=${secret.id}`)).status, 404);
  assert.equal((await search(ben.token, `q=playa&chat_id=${randomUUID()}`)).status, 404);
  for (const bad of ["", "q=", "q=%20%20", "q=!!!", `q=${"x".repeat(201)}`, "q=a&limit=0"]) {
    const response = await search(ben.token, bad);
    assert.equal(response.status, 400, bad);
    assert.equal(response.body.error.code, "VALIDATION_ERROR");
  }
  assert.equal((await http(url, "GET", "/api/search?q=playa")).status, 401);
  // Someone who leaves a chat no longer finds its messages.
  await http(url, "DELETE", `/api/chats/${chat.id}/members/${ben.user.id}`, { token: ben.token });
  assert.deepEqual((await search(ben.token, "q=playa")).body.results, []);
});

test("the server indexes what was sent, edited and deleted, and searches say the same after", async (t) => {
  const { url, app, users, direct, post } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  const chat = await direct(ana, ben);
  const kept = await post(ana, chat.id, "quedamos en la estación");
  const changed = await post(ben, chat.id, "llego tarde al tren");
  const gone = await post(ben, chat.id, "el tren no viene");
  const update = await http(url, "PATCH", `/api/messages/${changed.id}`, {
    token: ben.token,
    body: { body: "llego pronto a la estación" },
  });
  assert.equal(update.status, 200);
  assert.equal(
    (await http(url, "DELETE", `/api/messages/${gone.id}`, { token: ben.token })).status,
    204,
  );
  const found = async (q: string) =>
    (
      await http(url, "GET", `/api/search?q=${encodeURIComponent(q)}`, { token: ana.token })
    ).body.results.map((r: any) => r.message.id);

  // Indexing follows the commits on its own; nothing is left behind once it has.
  await eventually(async () => assert.equal(await app.store.searchIndex.chatsBehind(), 0));
  assert.deepEqual(await found("estacion"), [changed.id, kept.id]);
  assert.deepEqual(await found("tren"), [], "the edited and the deleted no longer say it");
});
