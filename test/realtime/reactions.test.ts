/**
 * Reactions as members use them: over the socket (`reaction:add` / `reaction:remove`) and
 * HTTP (`PUT` / `DELETE /api/messages/:id/reactions/:emoji`, URL-encoded), announced to the
 * chat as `message:reactions`, carried by history and `sync`, refused to outsiders.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { emitWithAck, eventually, http, received, settle } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("members react; the chat sees every change once, and nothing for a no-op", async (t) => {
  const { url, users, direct, group, post, connect } = await chatFixture(t, ["ana", "ben", "eve"]);
  const [ana, ben, eve] = users;
  const chat = await direct(ana, ben);
  const message = await post(ana, chat.id, "¿vamos?");
  const [anaSocket, eveSocket] = await Promise.all([connect(ana), connect(eve)]);

  const path = (emoji: string) =>
    `/api/messages/${message.id}/reactions/${encodeURIComponent(emoji)}`;
  const put = await http(url, "PUT", path("👍🏽"), { token: ben.token });
  assert.equal(put.status, 200);
  assert.deepEqual(put.body, {
    message_id: message.id,
    chat_id: chat.id,
    reactions: [{ emoji: "👍🏽", count: 1, user_ids: [ben.user.id] }],
    change_seq: put.body.change_seq,
  });
  assert.ok(put.body.change_seq > message.change_seq);
  const live = await eventually(() => {
    const found = received(anaSocket).filter((e) => e.event === "message:reactions");
    assert.equal(found.length, 1);
    return found[0]!.payload;
  });
  assert.deepEqual(live, put.body);

  // Twice is once: 200 with the same reactions, no event, no bump.
  const again = await http(url, "PUT", path("👍🏽"), { token: ben.token });
  assert.equal(again.status, 200);
  assert.equal(again.body.change_seq, put.body.change_seq);

  // Over the socket: a flag, and ❤ without its variation selector is ❤️.
  const benSocket = await connect(ben);
  const ack = await emitWithAck(benSocket, "reaction:add", { message_id: message.id, emoji: "❤" });
  assert.equal(ack.ok, true);
  assert.deepEqual(
    ack.reactions.map((r: { emoji: string }) => r.emoji),
    ["👍🏽", "❤️"],
  );
  const removed = await emitWithAck(anaSocket, "reaction:remove", {
    message_id: message.id,
    emoji: "🎉",
  });
  assert.equal(removed.ok, true, "removing what is not there is fine");
  assert.equal(removed.change_seq, ack.change_seq, "and changes nothing");

  await settle(anaSocket);
  assert.deepEqual(
    received(anaSocket)
      .filter((e) => e.event === "message:reactions")
      .map((e) => e.payload.change_seq),
    [put.body.change_seq, ack.change_seq],
    "one event per change, none for the no-ops",
  );
  await settle(eveSocket);
  assert.equal(
    received(eveSocket).filter((e) => e.event === "message:reactions").length,
    0,
    "outsiders hear nothing",
  );

  // Taken back over HTTP: the emoji leaves the list.
  const taken = await http(url, "DELETE", path("👍🏽"), { token: ben.token });
  assert.equal(taken.status, 200);
  assert.deepEqual(
    taken.body.reactions.map((r: { emoji: string }) => r.emoji),
    ["❤️"],
  );

  // History and the chat list carry them.
  const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ana.token });
  assert.deepEqual(history.body.messages[0].reactions, taken.body.reactions);
  const list = await http(url, "GET", "/api/chats", { token: ana.token });
  assert.deepEqual(list.body.chats[0].last_message.reactions, taken.body.reactions);

  // sync after the cursor of the message as sent: the message, in its state with reactions.
  const synced = await emitWithAck(anaSocket, "sync", {
    chats: [{ chat_id: chat.id, after_change_seq: message.change_seq }],
  });
  assert.deepEqual(
    synced.chats[0].messages.map((m: any) => [m.id, m.change_seq, m.reactions]),
    [[message.id, taken.body.change_seq, taken.body.reactions]],
  );

  // Outsiders and bad input.
  const outsider = await http(url, "PUT", path("👍"), { token: eve.token });
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "NOT_FOUND");
  const socketOutsider = await emitWithAck(eveSocket, "reaction:add", {
    message_id: message.id,
    emoji: "👍",
  });
  assert.equal(socketOutsider.error.code, "NOT_FOUND");
  for (const bad of ["a", "👍👍", "👍 ", ":+1:", "x".repeat(40)]) {
    const response = await http(url, "PUT", path(bad), { token: ben.token });
    assert.equal(response.status, 400, JSON.stringify(bad));
    assert.equal(response.body.error.code, "VALIDATION_ERROR");
  }
  const notUuid = await http(url, "PUT", "/api/messages/nope/reactions/%F0%9F%91%8D", {
    token: ben.token,
  });
  assert.equal(notUuid.status, 400);
  const noToken = await http(url, "PUT", path("👍"));
  assert.equal(noToken.status, 401);

  // A deleted message takes no reactions.
  const gone = await post(ana, (await group(ana, [ben])).id, "soon gone");
  await http(url, "DELETE", `/api/messages/${gone.id}`, { token: ana.token });
  const late = await http(url, "PUT", `/api/messages/${gone.id}/reactions/%F0%9F%91%8D`, {
    token: ben.token,
  });
  assert.equal(late.status, 404);
});

test("a 21st distinct emoji is VALIDATION_ERROR", async (t) => {
  const { url, users, direct, post } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  const chat = await direct(ana, ben);
  const message = await post(ana, chat.id, "pick one");
  const emoji = [..."😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗🤔"];
  for (const [i, e] of emoji.entries()) {
    const response = await http(
      url,
      "PUT",
      `/api/messages/${message.id}/reactions/${encodeURIComponent(e)}`,
      { token: i % 2 ? ana.token : ben.token },
    );
    assert.equal(response.status, i < 20 ? 200 : 400, `emoji ${i + 1}`);
  }
});
