/**
 * Replies and mentions as members use them, over the socket and HTTP: a reply carries its
 * original's quote (emptied once the original is deleted); `@username` of a member is a
 * mention, counted in the mentioned member's chat list until read.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { emitWithAck, http, nextEvent } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("a reply quotes its original, in every payload, until the original is deleted", async (t) => {
  const { url, users, direct, group, post, connect } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  const chat = await direct(ana, ben);
  const original = await post(ana, chat.id, "¿Comemos a las dos?");
  const [anaSocket, benSocket] = await Promise.all([connect(ana), connect(ben)]);

  const seen = nextEvent(anaSocket, "message:send", (m: any) => m.body === "Vale");
  const ack = await emitWithAck(benSocket, "message:send", {
    chat_id: chat.id,
    body: "Vale",
    reply_to_id: original.id.toUpperCase(),
  });
  assert.equal(ack.ok, true);
  const quote = { id: original.id, sender_id: ana.user.id, body: original.body, status: "sent" };
  assert.equal(ack.message.reply_to_id, original.id);
  assert.deepEqual(ack.message.reply_to, quote);
  assert.deepEqual((await seen).reply_to, quote, "live");

  const overHttp = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
    token: ana.token,
    body: { body: "Perfecto", reply_to_id: ack.message.id },
  });
  assert.equal(overHttp.status, 201);
  assert.equal(overHttp.body.reply_to.body, "Vale");

  // Not a message of this chat, deleted, or not a UUID.
  const elsewhere = await post(ana, (await group(ana, [])).id, "elsewhere");
  for (const replyTo of [elsewhere.id, randomUUID()]) {
    const refused = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
      token: ana.token,
      body: { body: "x", reply_to_id: replyTo },
    });
    assert.equal(refused.status, 404);
  }
  const bad = await emitWithAck(benSocket, "message:send", {
    chat_id: chat.id,
    body: "x",
    reply_to_id: "nope",
  });
  assert.equal(bad.error.code, "VALIDATION_ERROR");

  assert.equal(
    (await http(url, "DELETE", `/api/messages/${original.id}`, { token: ana.token })).status,
    204,
  );
  const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ben.token });
  const reply = history.body.messages.find((m: any) => m.id === ack.message.id);
  assert.deepEqual(reply.reply_to, { ...quote, body: "", status: "deleted" });
  const late = await emitWithAck(benSocket, "message:send", {
    chat_id: chat.id,
    body: "¿Y ahora?",
    reply_to_id: original.id,
  });
  assert.equal(late.error.code, "NOT_FOUND", "a deleted message cannot be answered");

  // Every message carries every rich field, replies or not.
  const plain = await post(ana, chat.id, "plain");
  assert.deepEqual(
    [plain.reply_to_id, plain.reply_to, plain.reactions, plain.mentions],
    [null, null, [], []],
  );
});

test("mentions: members only, any case, the longest username wins; counted until read", async (t) => {
  const { url, register, group, connect } = await chatFixture(t, []);
  const ana = await register("ana_m");
  const ben = await register("ben");
  const benjamin = await register("Benjamin");
  const eve = await register("eve_m");
  const chat = await group(ana, [ben, benjamin]);
  const send = async (body: string) => {
    const response = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
      token: ana.token,
      body: { body },
    });
    assert.equal(response.status, 201);
    return response.body;
  };

  assert.deepEqual((await send("@BEN ¿vienes?")).mentions, [ben.user.id]);
  assert.deepEqual((await send("hola @benjamin")).mentions, [benjamin.user.id], "longest wins");
  assert.deepEqual((await send("(@ben, @Benjamin)")).mentions, [ben.user.id, benjamin.user.id]);
  assert.deepEqual((await send("mail ana@ben.example")).mentions, [], "not after a name char");
  assert.deepEqual((await send("@eve_m is not here")).mentions, [], "only members");
  assert.deepEqual((await send("no one")).mentions, []);

  // Edits recompute them.
  const anaSocket = await connect(ana);
  const target = await send("para @ben");
  const edited = await emitWithAck(anaSocket, "message:update", {
    id: target.id,
    body: "para @benjamin",
  });
  assert.deepEqual(edited.message.mentions, [benjamin.user.id]);

  const mentionCount = async (user: typeof ben) => {
    const list = await http(url, "GET", "/api/chats", { token: user.token });
    return list.body.chats.find((c: any) => c.id === chat.id).mention_count;
  };
  assert.equal(await mentionCount(ben), 2);
  assert.equal(await mentionCount(benjamin), 3);
  assert.equal(await mentionCount(ana), 0, "own messages do not count");
  assert.equal(eve.user.username, "eve_m");

  const last = await send("fin");
  await http(url, "POST", `/api/chats/${chat.id}/read`, {
    token: ben.token,
    body: { seq: last.seq },
  });
  assert.equal(await mentionCount(ben), 0, "read mentions are not counted");
});
