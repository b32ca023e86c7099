/**
 * typing is relayed to the chat's other members, never stored; message:read stores the read
 * position and tells the chat's members.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { emitWithAck, http, nextEvent, received, settle } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("typing and read positions", async (t) => {
  const { url, connect, group, post, users } = await chatFixture(t, ["ana", "ben", "eve"]);
  const [ana, ben, eve] = users;
  const chat = await group(ana, [ben], "typing");
  const ana1 = await connect(ana);
  const ana2 = await connect(ana);
  const benSocket = await connect(ben);
  const eveSocket = await connect(eve);
  const typingOf = (socket: any) => received(socket).filter((e) => e.event === "typing");

  await t.test("typing reaches the other members only", async () => {
    const benHears = nextEvent(benSocket, "typing");
    assert.deepEqual(await emitWithAck(ana1, "typing", { chat_id: chat.id, typing: true }), {
      ok: true,
    });
    assert.deepEqual(await benHears, { chat_id: chat.id, user_id: ana.user.id, typing: true });
    const benHearsStop = nextEvent(benSocket, "typing", (e: any) => e.typing === false);
    ana1.emit("typing", { chat_id: chat.id, typing: false });
    await benHearsStop;
    await Promise.all([settle(ana1), settle(ana2), settle(eveSocket)]);
    assert.deepEqual(typingOf(ana1), [], "not echoed to the typist");
    assert.deepEqual(typingOf(ana2), [], "not to the typist's other devices");
    assert.deepEqual(typingOf(eveSocket), [], "not to non-members");
    // Relayed, not stored: nothing in the history.
    const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ana.token });
    assert.deepEqual(history.body.messages, []);
  });

  await t.test("message:read stores the position and tells the chat's members", async () => {
    for (const body of ["one", "two", "three"]) await post(ana, chat.id, body);
    const anaHears = nextEvent(ana2, "message:read");
    const benHearsOwn = nextEvent(benSocket, "message:read");
    benSocket.emit("message:read", { chat_id: chat.id, seq: 2 });
    const event = await anaHears;
    assert.equal(event.chat_id, chat.id);
    assert.equal(event.user_id, ben.user.id);
    assert.equal(event.seq, 2);
    assert.ok(Math.abs(Date.parse(event.read_at) - Date.now()) < 60_000);
    assert.deepEqual(await benHearsOwn, event);

    const position = async () =>
      (await http(url, "GET", "/api/chats", { token: ben.token })).body.chats.find(
        (c: any) => c.id === chat.id,
      );
    assert.equal((await position()).last_read_seq, 2);
    assert.equal((await position()).unread_count, 1);

    // Backwards is ignored; past the end stops at the last message.
    const back = await emitWithAck(benSocket, "message:read", { chat_id: chat.id, seq: 1 });
    assert.deepEqual(back, { ok: true });
    assert.equal((await position()).last_read_seq, 2);
    const clamped = nextEvent(ana1, "message:read", (e: any) => e.seq === 3);
    await emitWithAck(benSocket, "message:read", { chat_id: chat.id, seq: 1000 });
    await clamped;
    assert.equal((await position()).last_read_seq, 3);
    assert.equal((await position()).unread_count, 0);

    await settle(eveSocket);
    assert.ok(!received(eveSocket).some((e) => e.event === "message:read"));
  });
});
