/**
 * Catch-up after a reconnect: `sync` returns every message sent, edited or deleted since the
 * client's cursor (its highest change_seq per chat), each once in its current state, in
 * change order; chats it did not list are caught up from the start.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { connectSocket, emitWithAck, http, nextEvent } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("sync catches a reconnecting client up exactly once", async (t) => {
  const { url, direct, group, post, users } = await chatFixture(t, ["ana", "ben", "eve"]);
  const [ana, ben, eve] = users;
  const chat = await direct(ana, ben);
  const secret = await group(ana, [eve], "not ben's");
  await post(ana, secret.id, "ben must not see this");

  // Ben is online and sees the first two messages, remembering the highest change_seq.
  let benSocket = await connectSocket(t, url, ben.token);
  const seen1 = nextEvent(benSocket, "message:send", (m: any) => m.body === "first");
  const first = await post(ana, chat.id, "first");
  await seen1;
  const seen2 = nextEvent(benSocket, "message:send", (m: any) => m.body === "second");
  const second = await post(ana, chat.id, "second");
  const cursor = (await seen2).change_seq;
  benSocket.disconnect();

  // While ben is away: two new messages, an edit of a seen one, a delete of a new one, and
  // an edit of a new one (it must arrive once, edited).
  const third = await post(ana, chat.id, "third");
  const fourth = await post(ana, chat.id, "fourth");
  const edit = async (id: string, body: string) =>
    assert.equal(
      (await http(url, "PATCH", `/api/messages/${id}`, { token: ana.token, body: { body } }))
        .status,
      200,
    );
  await edit(first.id, "first, edited");
  assert.equal(
    (await http(url, "DELETE", `/api/messages/${fourth.id}`, { token: ana.token })).status,
    204,
  );
  await edit(third.id, "third, edited");

  benSocket = await connectSocket(t, url, ben.token);
  const ack = await emitWithAck(benSocket, "sync", {
    chats: [{ chat_id: chat.id, after_change_seq: cursor }],
  });
  assert.equal(ack.ok, true);
  assert.deepEqual(
    ack.chats.map((c: any) => c.chat_id),
    [chat.id],
    "only ben's chats",
  );
  const caught = ack.chats[0];
  assert.equal(caught.has_more, false);
  assert.deepEqual(
    caught.messages.map((m: any) => [m.id, m.status, m.body]),
    [
      [first.id, "updated", "first, edited"],
      [fourth.id, "deleted", ""],
      [third.id, "updated", "third, edited"],
    ],
  );
  const changes = caught.messages.map((m: any) => m.change_seq);
  assert.deepEqual(
    changes,
    [...changes].sort((a, b) => a - b),
    "in change order",
  );
  assert.ok(changes.every((c: number) => c > cursor));
  assert.ok(!caught.messages.some((m: any) => m.id === second.id), "nothing seen twice");

  // Caught up: the next sync from the newest cursor returns nothing.
  const again = await emitWithAck(benSocket, "sync", {
    chats: [{ chat_id: chat.id, after_change_seq: changes.at(-1) }],
  });
  assert.deepEqual(again.chats, [{ chat_id: chat.id, messages: [], has_more: false }]);

  // A chat not listed is caught up from the start; limit pages it.
  const fresh = await emitWithAck(benSocket, "sync", { limit: 2 });
  assert.equal(fresh.chats.length, 1);
  assert.deepEqual(
    fresh.chats[0].messages.map((m: any) => m.id),
    [second.id, first.id],
    "the two oldest current states: second (sent), then first (edited)",
  );
  assert.equal(fresh.chats[0].has_more, true);

  // Listing someone else's chat (or none that exists) reveals nothing.
  const probe = await emitWithAck(benSocket, "sync", {
    chats: [
      { chat_id: secret.id, after_change_seq: 0 },
      { chat_id: randomUUID(), after_change_seq: 0 },
    ],
  });
  assert.deepEqual(
    probe.chats.map((c: any) => c.chat_id),
    [chat.id],
  );
  assert.ok(!JSON.stringify(probe).includes("must not see"));
});
