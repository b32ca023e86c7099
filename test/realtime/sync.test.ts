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

test("many sockets syncing at once each get exactly their own chats, up to date", async (t) => {
  const { direct, group, post, connect, users } = await chatFixture(t, [
    "ana",
    "ben",
    "eve",
    "dan",
  ]);
  const [ana, ben, eve, dan] = users;
  const team = await group(ana, [ben, eve], "team");
  const pair = await direct(ben, dan);
  const solo = await group(eve, [], "eve alone");
  const sent = new Map<string, Array<{ id: string; change_seq: number }>>();
  for (let k = 0; k < 4; k++) {
    for (const [sender, chat] of [
      [ana, team],
      [dan, pair],
      [eve, solo],
    ] as const) {
      const m = await post(sender, chat.id, `${chat.id} #${k}`);
      (sent.get(chat.id) ?? sent.set(chat.id, []).get(chat.id)!).push(m);
    }
  }
  const chatsOf = new Map([
    [ana.user.id, [team.id]],
    [ben.user.id, [team.id, pair.id]],
    [eve.user.id, [team.id, solo.id]],
    [dan.user.id, [pair.id]],
  ]);
  // Three sockets per user, each with cursors of its own (what each had seen), as after a
  // reconnect: some from the start, some from the second message, one with a small page.
  const askers = [];
  for (const user of users) {
    for (let s = 0; s < 3; s++) {
      const chats = chatsOf.get(user.user.id)!;
      const payload =
        s === 0
          ? {}
          : {
              chats: chats.map((id) => ({
                chat_id: id,
                after_change_seq: sent.get(id)![1]!.change_seq,
              })),
              ...(s === 2 ? { limit: 1 } : {}),
            };
      askers.push({ user, socket: await connect(user), payload });
    }
  }

  const together = await Promise.all(
    askers.map(({ socket, payload }) => emitWithAck(socket, "sync", payload)),
  );
  for (const [i, { user, payload }] of askers.entries()) {
    const answer = together[i];
    assert.equal(answer.ok, true, JSON.stringify(answer));
    assert.deepEqual(
      answer.chats.map((c: any) => c.chat_id),
      [...chatsOf.get(user.user.id)!].sort(),
      `${user.user.username}'s chats, no one else's`,
    );
    for (const chat of answer.chats) {
      const cursor =
        (payload as any).chats?.find((c: any) => c.chat_id === chat.chat_id)?.after_change_seq ?? 0;
      const limit = (payload as any).limit ?? 200;
      const expected = sent.get(chat.chat_id)!.filter((m) => m.change_seq > cursor);
      assert.deepEqual(
        chat.messages.map((m: any) => m.id),
        expected.slice(0, limit).map((m) => m.id),
      );
      assert.equal(chat.has_more, expected.length > limit);
    }
  }
  // The same asks one at a time get the same answers.
  for (const [i, { socket, payload }] of askers.entries()) {
    assert.deepEqual(await emitWithAck(socket, "sync", payload), together[i]);
  }

  // A message acknowledged before a sync is asked is in its answer, while others' syncs run.
  const running = askers.map(({ socket }) => emitWithAck(socket, "sync", {}));
  const late = await post(ana, team.id, "acknowledged before the sync");
  const bens = askers.filter((a) => a.user === ben);
  const after = await Promise.all(bens.map(({ socket }) => emitWithAck(socket, "sync", {})));
  for (const answer of after) {
    const teamPage = answer.chats.find((c: any) => c.chat_id === team.id);
    assert.ok(teamPage.messages.some((m: any) => m.id === late.id));
  }
  await Promise.all(running);
});
