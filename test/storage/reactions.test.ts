/**
 * Replies and reactions in the store, on every backend: a reply's quote comes from the
 * original and follows its edit and delete; reactions are idempotent, counted per emoji,
 * bounded, and bump the message's change_seq only when they change something.
 */
import assert from "node:assert/strict";
import { TooManyReactions } from "../../src/server/storage/errors.ts";
import { appendOne, newGroup, newMessage, newUser, onEveryBackend } from "../support/stores.ts";

onEveryBackend("ReactionStore and replies", async (t, store) => {
  const [ana, ben] = await Promise.all([newUser(store), newUser(store)]);
  const chat = await newGroup(store, ana.id, [ben.id]);

  await t.test("a reply quotes its original, cut to 200 characters, kept current", async () => {
    const long = "ñ".repeat(150) + "😀".repeat(100);
    const original = await appendOne(store, newMessage(chat.id, ana.id, long));
    assert.ok(original.kind === "stored");
    const reply = await appendOne(store, {
      ...newMessage(chat.id, ben.id, "answer"),
      reply_to_id: original.message.id,
      mentions: [ana.id],
    });
    assert.ok(reply.kind === "stored");
    const expected = {
      id: original.message.id,
      sender_id: ana.id,
      body: "ñ".repeat(150) + "😀".repeat(50),
      status: "sent",
    };
    assert.deepEqual(reply.message.reply_to, expected, "in the append's answer");
    assert.equal(reply.message.reply_to_id, original.message.id);
    assert.deepEqual(reply.message.mentions, [ana.id]);
    assert.deepEqual(reply.message.reactions, []);

    // A batch big enough for the set-wise append carries replies too.
    const batch = await store.messages.append(
      Array.from({ length: 6 }, (_, i) => ({
        ...newMessage(chat.id, ben.id, `r${i}`),
        reply_to_id: original.message.id,
        mentions: i === 0 ? [ana.id, ben.id] : [],
      })),
    );
    for (const result of batch) {
      assert.ok(result.kind === "stored");
      assert.deepEqual(result.message.reply_to, expected);
    }

    await store.messages.edit(original.message.id, "shorter");
    let history = await store.messages.history(chat.id, { limit: 50 });
    const byId = (id: string) => history.messages.find((m) => m.id === id)!;
    assert.deepEqual(byId(reply.message.id).reply_to, {
      ...expected,
      body: "shorter",
      status: "updated",
    });
    assert.deepEqual(byId(reply.message.id).mentions, [ana.id], "history carries mentions");
    assert.deepEqual(byId((batch[0] as { message: { id: string } }).message.id).mentions, [
      ana.id,
      ben.id,
    ]);

    const replyChangeSeq = byId(reply.message.id).change_seq;
    await store.messages.delete(original.message.id);
    history = await store.messages.history(chat.id, { limit: 50 });
    assert.deepEqual(byId(reply.message.id).reply_to, {
      ...expected,
      body: "",
      status: "deleted",
    });
    assert.equal(byId(reply.message.id).change_seq, replyChangeSeq);
  });

  await t.test("a reply to a message of another chat quotes nothing", async () => {
    const other = await newGroup(store, ana.id, []);
    const elsewhere = await appendOne(store, newMessage(other.id, ana.id, "elsewhere"));
    assert.ok(elsewhere.kind === "stored");
    const reply = await appendOne(store, {
      ...newMessage(chat.id, ana.id, "x"),
      reply_to_id: elsewhere.message.id,
    });
    assert.ok(reply.kind === "stored");
    assert.equal(reply.message.reply_to, null);
  });

  await t.test("reactions: idempotent, counted, ordered, bump change_seq", async () => {
    const sent = await appendOne(store, newMessage(chat.id, ana.id, "react to me"));
    assert.ok(sent.kind === "stored");
    const id = sent.message.id;

    const first = await store.reactions.add(id, ben.id, "👍");
    assert.ok(first?.changed);
    assert.equal(first.chat_id, chat.id);
    assert.ok(first.change_seq > sent.message.change_seq);
    assert.deepEqual(first.reactions, [{ emoji: "👍", count: 1, user_ids: [ben.id] }]);

    const again = await store.reactions.add(id, ben.id, "👍");
    assert.equal(again?.changed, false, "adding twice changes nothing");
    assert.equal(again.change_seq, first.change_seq, "and bumps nothing");

    await store.reactions.add(id, ana.id, "🇪🇸");
    const third = await store.reactions.add(id, ana.id, "👍");
    assert.deepEqual(third?.reactions, [
      { emoji: "👍", count: 2, user_ids: [ben.id, ana.id] },
      { emoji: "🇪🇸", count: 1, user_ids: [ana.id] },
    ]);

    const none = await store.reactions.remove(id, ben.id, "🎉");
    assert.equal(none?.changed, false, "removing what is not there changes nothing");
    const removed = await store.reactions.remove(id, ana.id, "🇪🇸");
    assert.ok(removed?.changed);
    assert.deepEqual(
      removed.reactions.map((r) => r.emoji),
      ["👍"],
      "an emoji whose count falls to 0 leaves",
    );

    // History and catch-up carry the reactions, and the reaction is a change.
    const changes = await store.messages.changesSince(chat.id, sent.message.change_seq, 50);
    const changed = changes.messages.find((m) => m.id === id);
    assert.equal(changed?.change_seq, removed.change_seq);
    assert.deepEqual(changed?.reactions, removed.reactions);

    // Deleted: gone for reactions, and its reactions with it.
    await store.messages.delete(id);
    assert.equal(await store.reactions.add(id, ben.id, "👍"), undefined);
    assert.equal(await store.reactions.remove(id, ben.id, "👍"), undefined);
    const gone = (await store.messages.history(chat.id, { limit: 50 })).messages.find(
      (m) => m.id === id,
    );
    assert.deepEqual(gone?.reactions, []);
  });

  await t.test("at most 20 distinct emoji; more users of one emoji are counted", async () => {
    const sent = await appendOne(store, newMessage(chat.id, ana.id, "many"));
    assert.ok(sent.kind === "stored");
    const emoji = [..."😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗"];
    assert.equal(emoji.length, 20);
    for (const e of emoji) await store.reactions.add(sent.message.id, ana.id, e);
    await assert.rejects(store.reactions.add(sent.message.id, ana.id, "🤔"), TooManyReactions);
    // One already there may still be added by someone else.
    const more = await store.reactions.add(sent.message.id, ben.id, "😀");
    assert.equal(more?.reactions[0]?.count, 2);

    // user_ids stop at 20, the count does not.
    const users = await Promise.all(Array.from({ length: 22 }, () => newUser(store)));
    const crowd = await newGroup(
      store,
      ana.id,
      users.map((u) => u.id),
    );
    const popular = await appendOne(store, newMessage(crowd.id, ana.id, "popular"));
    assert.ok(popular.kind === "stored");
    let last;
    for (const user of users) last = await store.reactions.add(popular.message.id, user.id, "❤️");
    assert.equal(last?.reactions[0]?.count, 22);
    assert.equal(last?.reactions[0]?.user_ids.length, 20);
    assert.deepEqual(
      last?.reactions[0]?.user_ids,
      users.slice(0, 20).map((u) => u.id),
      "the first 20, in the order they reacted",
    );
  });
});
