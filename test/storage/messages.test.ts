/** The MessageStore contract, on every backend: the append path, edits, history, changes. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { appendOne, newGroup, newMessage, newUser, onEveryBackend } from "../support/stores.ts";

onEveryBackend("MessageStore", async (t, store) => {
  await t.test(
    "append: seq 1, 2, 3 …; client_msg_id dedupe; non-members store nothing",
    async () => {
      const [owner, a, outsider] = await Promise.all([
        newUser(store),
        newUser(store),
        newUser(store),
      ]);
      const chat = await newGroup(store, owner.id, [a.id]);
      const first = await appendOne(store, newMessage(chat.id, owner.id, "one", "c-1"));
      assert.ok(first.kind === "stored", first.kind);
      assert.equal(first.message.seq, 1);
      assert.equal(first.message.change_seq, 1);
      assert.equal(first.message.status, "sent");
      assert.equal(first.message.client_msg_id, "c-1");
      assert.equal(first.message.updated_at, null);

      // One batch: two messages, a repeat of an earlier client_msg_id, a repeat within the
      // batch, and a non-member's message.
      const results = await store.messages.append([
        newMessage(chat.id, a.id, "two", "c-1"), // another sender may reuse the same client_msg_id
        newMessage(chat.id, owner.id, "again", "c-1"),
        newMessage(chat.id, owner.id, "three", "c-3"),
        newMessage(chat.id, owner.id, "three retried", "c-3"),
        newMessage(chat.id, outsider.id, "intruder"),
      ]);
      assert.deepEqual(
        results.map((r) => r.kind),
        ["stored", "duplicate", "stored", "duplicate", "not_member"],
      );
      const [two, again, three, threeAgain] = results.map((r) =>
        r.kind === "not_member" ? undefined : r.message,
      );
      assert.equal(two?.seq, 2);
      assert.equal(again?.id, first.message.id);
      assert.equal(again?.body, "one");
      assert.equal(three?.seq, 3);
      assert.equal(threeAgain?.id, three?.id);

      const history = await store.messages.history(chat.id, { limit: 50 });
      assert.deepEqual(
        history.messages.map((m) => [m.seq, m.body]),
        [
          [1, "one"],
          [2, "two"],
          [3, "three"],
        ],
      );
      assert.equal(history.has_more, false);
      // A chat that does not exist is like one the sender is not in, and so is a sender that
      // does not exist (messages have no foreign keys: the membership check is the guard).
      assert.equal(
        (await appendOne(store, newMessage(randomUUID(), owner.id, "x"))).kind,
        "not_member",
      );
      assert.equal(
        (await appendOne(store, newMessage(chat.id, randomUUID(), "x"))).kind,
        "not_member",
      );
      assert.equal((await store.messages.history(chat.id, { limit: 50 })).messages.length, 3);
    },
  );

  await t.test("append: the message acknowledged is the message read back", async () => {
    const [owner, a] = await Promise.all([newUser(store), newUser(store)]);
    const chat = await newGroup(store, owner.id, [a.id]);
    const results = await store.messages.append([
      newMessage(chat.id, owner.id, "first", "k-1"),
      newMessage(chat.id, a.id, 'with "quotes", {braces} and \\ backslash'),
      newMessage(chat.id, owner.id, "último ✓"),
      newMessage(chat.id, a.id, "four", "k-4"),
      newMessage(chat.id, owner.id, "five"),
    ]);
    const acknowledged = results.map((r) => (r.kind === "stored" ? r.message : r.kind));
    const history = await store.messages.history(chat.id, { limit: 50 });
    assert.deepEqual(acknowledged, history.messages);
  });

  await t.test(
    "edit and delete take the next change_seq; a deleted message stays deleted",
    async () => {
      const owner = await newUser(store);
      const chat = await newGroup(store, owner.id, []);
      const sent = await appendOne(store, newMessage(chat.id, owner.id, "hello"));
      assert.ok(sent.kind === "stored");
      await appendOne(store, newMessage(chat.id, owner.id, "second"));

      const edited = await store.messages.edit(sent.message.id, "hello, edited");
      assert.equal(edited?.status, "updated");
      assert.equal(edited?.body, "hello, edited");
      assert.equal(edited?.seq, 1);
      assert.equal(edited?.change_seq, 3);
      assert.ok(edited?.updated_at && !Number.isNaN(Date.parse(edited.updated_at)));

      const deleted = await store.messages.delete(sent.message.id);
      assert.equal(deleted?.status, "deleted");
      assert.equal(deleted?.body, "");
      assert.equal(deleted?.change_seq, 4);
      assert.equal(await store.messages.edit(sent.message.id, "back from the dead"), undefined);
      assert.equal(await store.messages.delete(sent.message.id), undefined);
      assert.equal(await store.messages.edit(randomUUID(), "nothing"), undefined);

      const [inHistory] = (await store.messages.history(chat.id, { limit: 1, before_seq: 2 }))
        .messages;
      assert.equal(inHistory?.status, "deleted");
      assert.equal(inHistory?.body, "");

      // The next send still gets the next seq: changes do not consume seqs.
      const next = await appendOne(store, newMessage(chat.id, owner.id, "third"));
      assert.ok(next.kind === "stored");
      assert.equal(next.message.seq, 3);
      assert.equal(next.message.change_seq, 5);
    },
  );

  await t.test("access: the message with the caller's role and the chat's type", async () => {
    const owner = await newUser(store);
    const chat = await newGroup(store, owner.id, []);
    const sent = await appendOne(store, newMessage(chat.id, owner.id, "hello"));
    assert.ok(sent.kind === "stored");
    const access = await store.messages.findForAccess(sent.message.id, owner.id);
    assert.deepEqual(access, { message: sent.message, callerRole: "owner", chatType: "group" });
    const stranger = await store.messages.findForAccess(sent.message.id, randomUUID());
    assert.equal(stranger?.callerRole, null);
    assert.equal(await store.messages.findForAccess(randomUUID(), owner.id), undefined);
  });

  await t.test("history cursors and changesSince", async () => {
    const owner = await newUser(store);
    const chat = await newGroup(store, owner.id, []);
    const batch = Array.from({ length: 10 }, (_, i) => newMessage(chat.id, owner.id, `m${i + 1}`));
    await store.messages.append(batch);
    const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);
    const history = store.messages.history;

    const newest = await history(chat.id, { limit: 3 });
    assert.deepEqual(seqs(newest), [8, 9, 10]);
    assert.equal(newest.has_more, true);
    const below = await history(chat.id, { limit: 3, before_seq: 8 });
    assert.deepEqual(seqs(below), [5, 6, 7]);
    assert.equal(below.has_more, true);
    const bottom = await history(chat.id, { limit: 3, before_seq: 4 });
    assert.deepEqual(seqs(bottom), [1, 2, 3]);
    assert.equal(bottom.has_more, false);
    const above = await history(chat.id, { limit: 4, after_seq: 2 });
    assert.deepEqual(seqs(above), [3, 4, 5, 6]);
    assert.equal(above.has_more, true);
    const tail = await history(chat.id, { limit: 4, after_seq: 7 });
    assert.deepEqual(seqs(tail), [8, 9, 10]);
    assert.equal(tail.has_more, false);
    assert.deepEqual(seqs(await history(chat.id, { limit: 5, after_seq: 10 })), []);

    // Edit m3, delete m5: since change 8 come m9, m10, then m3's edit and m5's delete, once each.
    await store.messages.edit(batch[2]!.id, "m3 edited");
    await store.messages.delete(batch[4]!.id);
    await store.messages.edit(batch[2]!.id, "m3 edited twice");
    const changes = await store.messages.changesSince(chat.id, 8, 100);
    assert.deepEqual(
      changes.messages.map((m) => [m.seq, m.change_seq, m.status, m.body]),
      [
        [9, 9, "sent", "m9"],
        [10, 10, "sent", "m10"],
        [5, 12, "deleted", ""],
        [3, 13, "updated", "m3 edited twice"],
      ],
    );
    assert.equal(changes.has_more, false);
    const limited = await store.messages.changesSince(chat.id, 8, 2);
    assert.deepEqual(
      limited.messages.map((m) => m.change_seq),
      [9, 10],
    );
    assert.equal(limited.has_more, true);
  });

  await t.test("cursors up to the protocol's largest seq (2^53 - 1) are answered", async () => {
    const me = await newUser(store);
    const chat = await newGroup(store, me.id, []);
    await store.messages.append([newMessage(chat.id, me.id, "only")]);
    const huge = Number.MAX_SAFE_INTEGER;
    const below = await store.messages.history(chat.id, { limit: 5, before_seq: huge });
    assert.deepEqual(
      below.messages.map((m) => m.body),
      ["only"],
    );
    assert.deepEqual(
      (await store.messages.history(chat.id, { limit: 5, after_seq: huge })).messages,
      [],
    );
    assert.deepEqual((await store.messages.changesSince(chat.id, huge, 5)).messages, []);
  });

  await t.test("deleteAllBySender: every live message of one sender, in change order", async () => {
    const [gone, other] = await Promise.all([newUser(store), newUser(store)]);
    const chatA = await newGroup(store, other.id, [gone.id]);
    const chatB = await newGroup(store, gone.id, [other.id]);
    const stored = [];
    for (const [chat, sender, body] of [
      [chatA, gone, "a1"],
      [chatA, other, "a2"],
      [chatA, gone, "a3"],
      [chatB, gone, "b1"],
    ] as const) {
      const result = await appendOne(store, newMessage(chat.id, sender.id, body));
      assert.ok(result.kind === "stored");
      stored.push(result.message);
    }
    await store.messages.delete(stored[2]!.id); // already deleted: left alone
    const deleted = await store.messages.deleteAllBySender(gone.id);
    assert.deepEqual(deleted.map((m) => m.body).sort(), ["", ""]);
    assert.deepEqual(deleted.map((m) => m.id).sort(), [stored[0]!.id, stored[3]!.id].sort());
    assert.ok(deleted.every((m) => m.status === "deleted"));
    const changes = await store.messages.changesSince(chatA.id, 0, 10);
    assert.deepEqual(
      changes.messages.map((m) => [m.seq, m.status, m.change_seq]),
      [
        [2, "sent", 2],
        [3, "deleted", 4],
        [1, "deleted", 5],
      ],
    );
    assert.deepEqual(await store.messages.deleteAllBySender(gone.id), [], "nothing left");
  });
});
