/**
 * chat:created, chat:member_added and chat:member_removed reach the members concerned (and
 * nobody else), and the rooms of live sockets follow at once: a new chat's messages reach
 * members who were connected before it existed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { emitWithAck, eventually, http, nextEvent, received, settle } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("chat membership events", async (t) => {
  const fixture = await chatFixture(t, ["ana", "ben", "eve", "dan"]);
  const [ana, ben, eve, dan] = fixture.users;
  const { url, connect } = fixture;
  const anaSocket = await connect(ana);
  const benSocket = await connect(ben);
  const ben2 = await connect(ben);
  const eveSocket = await connect(eve);
  const danSocket = await connect(dan);
  const chatEvents = (socket: any, chatId: string) =>
    received(socket).filter(
      (e) => e.event.startsWith("chat:") && (e.payload.id ?? e.payload.chat_id) === chatId,
    );

  await t.test("chat:created reaches every member's sockets, and only theirs", async () => {
    const benGets = nextEvent(benSocket, "chat:created");
    const ben2Gets = nextEvent(ben2, "chat:created");
    const anaGets = nextEvent(anaSocket, "chat:created");
    const chat = await fixture.group(ana, [ben], "new");
    assert.deepEqual(await benGets, chat);
    assert.deepEqual(await ben2Gets, chat);
    assert.deepEqual(await anaGets, chat);

    // Both were connected before the chat existed; its messages reach them at once.
    const benMessage = nextEvent(benSocket, "message:send", (m: any) => m.chat_id === chat.id);
    const sent = await emitWithAck(anaSocket, "message:send", { chat_id: chat.id, body: "first!" });
    assert.equal(sent.ok, true);
    assert.equal((await benMessage).id, sent.message.id);
    const typing = nextEvent(anaSocket, "typing", (e: any) => e.chat_id === chat.id);
    assert.equal(
      (await emitWithAck(benSocket, "typing", { chat_id: chat.id, typing: true })).ok,
      true,
    );
    await typing;

    await Promise.all([settle(eveSocket), settle(danSocket)]);
    assert.deepEqual(chatEvents(eveSocket, chat.id), []);
    assert.ok(!received(danSocket).some((e) => e.payload?.chat_id === chat.id));

    // A direct chat opened again (200) announces nothing new.
    const direct = await fixture.direct(eve, dan);
    await eventually(() => assert.equal(chatEvents(danSocket, direct.id).length, 1));
    await fixture.direct(dan, eve);
    await settle(danSocket);
    assert.equal(chatEvents(danSocket, direct.id).length, 1);
  });

  await t.test(
    "member added: the members hear chat:member_added, the new one chat:created",
    async () => {
      const chat = await fixture.group(ana, [ben], "growing");
      const benHears = nextEvent(benSocket, "chat:member_added", (e: any) => e.chat_id === chat.id);
      const eveGetsChat = nextEvent(eveSocket, "chat:created", (c: any) => c.id === chat.id);
      const eveHearsAdded = nextEvent(
        eveSocket,
        "chat:member_added",
        (e: any) => e.chat_id === chat.id,
      );
      const added = await http(url, "POST", `/api/chats/${chat.id}/members`, {
        token: ana.token,
        body: { user_id: eve.user.id },
      });
      assert.equal(added.status, 201);
      assert.deepEqual(await benHears, { chat_id: chat.id, user_id: eve.user.id });
      assert.deepEqual(await eveHearsAdded, { chat_id: chat.id, user_id: eve.user.id });
      const chatForEve = await eveGetsChat;
      assert.deepEqual(chatForEve, added.body);
      assert.ok(chatForEve.members.some((m: any) => m.user_id === eve.user.id));
      await settle(danSocket);
      assert.deepEqual(chatEvents(danSocket, chat.id), []);

      // Eve may now send from her live socket, and the others receive it.
      const benGets = nextEvent(benSocket, "message:send", (m: any) => m.chat_id === chat.id);
      const ack = await emitWithAck(eveSocket, "message:send", {
        chat_id: chat.id,
        body: "hi all",
      });
      assert.equal(ack.ok, true);
      assert.equal((await benGets).id, ack.message.id);
    },
  );

  await t.test(
    "member removed: the removed user and the members hear it; rooms follow",
    async () => {
      const chat = await fixture.group(ana, [ben, eve], "shrinking");
      const eveHears = nextEvent(
        eveSocket,
        "chat:member_removed",
        (e: any) => e.chat_id === chat.id,
      );
      const benHears = nextEvent(
        benSocket,
        "chat:member_removed",
        (e: any) => e.chat_id === chat.id,
      );
      const ben2Hears = nextEvent(ben2, "chat:member_removed", (e: any) => e.chat_id === chat.id);
      const removed = await http(url, "DELETE", `/api/chats/${chat.id}/members/${ben.user.id}`, {
        token: ana.token,
      });
      assert.equal(removed.status, 204);
      const expected = { chat_id: chat.id, user_id: ben.user.id };
      assert.deepEqual(await eveHears, expected);
      assert.deepEqual(await benHears, expected);
      assert.deepEqual(await ben2Hears, expected);

      // Ben's live sockets are out: he cannot type there, and hears nothing more of it.
      const typing = await emitWithAck(benSocket, "typing", { chat_id: chat.id, typing: true });
      assert.equal(typing.ok, false);
      assert.equal(typing.error.code, "NOT_FOUND");
      const eveGets = nextEvent(eveSocket, "message:send", (m: any) => m.chat_id === chat.id);
      const sent = await emitWithAck(anaSocket, "message:send", {
        chat_id: chat.id,
        body: "bye ben",
      });
      await eveGets;
      await Promise.all([settle(benSocket), settle(ben2)]);
      for (const socket of [benSocket, ben2]) {
        assert.ok(!received(socket).some((e) => e.payload?.id === sent.message.id));
      }
      await settle(danSocket);
      assert.deepEqual(chatEvents(danSocket, chat.id), []);
    },
  );
});
