/** The ChatStore contract, on every backend. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { DirectChatExists } from "../../src/server/storage/errors.ts";
import { newGroup, newMessage, newUser, onEveryBackend } from "../support/stores.ts";

onEveryBackend("ChatStore", async (t, store) => {
  await t.test("chats and members", async () => {
    const [owner, a, b] = await Promise.all([newUser(store), newUser(store), newUser(store)]);
    const chat = await newGroup(store, owner.id, [a.id]);
    assert.equal(chat.type, "group");
    assert.equal(chat.created_by, owner.id);
    assert.deepEqual(
      chat.members.map((m) => [m.user_id, m.role]),
      [
        [owner.id, "owner"],
        [a.id, "member"],
      ],
    );
    assert.deepEqual(await store.chats.get(chat.id), chat);
    assert.equal(await store.chats.get(randomUUID()), undefined);
    assert.equal(await store.chats.memberRole(chat.id, owner.id), "owner");
    assert.equal(await store.chats.memberRole(chat.id, a.id), "member");
    assert.equal(await store.chats.memberRole(chat.id, b.id), undefined);

    assert.equal(await store.chats.addMember(chat.id, b.id), true);
    assert.equal(await store.chats.addMember(chat.id, b.id), false);
    assert.deepEqual(await store.chats.idsOf(b.id), [chat.id]);
    assert.equal(await store.chats.removeMember(chat.id, b.id), true);
    assert.equal(await store.chats.removeMember(chat.id, b.id), false);
    assert.deepEqual(await store.chats.idsOf(b.id), []);

    // An owner who leaves hands the group to the longest-standing member.
    assert.equal(await store.chats.removeMember(chat.id, owner.id), true);
    assert.equal(await store.chats.memberRole(chat.id, a.id), "owner");
  });

  await t.test(
    "contacts: everyone sharing a chat, once each, and chats of many users",
    async () => {
      const [a, b, c, d, loner] = await Promise.all([
        newUser(store),
        newUser(store),
        newUser(store),
        newUser(store),
        newUser(store),
      ]);
      const one = await newGroup(store, a.id, [b.id, c.id]);
      const two = await newGroup(store, a.id, [b.id]);
      await newGroup(store, d.id, []);
      const sorted = (ids: string[]) => [...ids].sort();
      assert.deepEqual(sorted(await store.chats.contactIdsOf(a.id)), sorted([b.id, c.id]));
      assert.deepEqual(await store.chats.contactIdsOf(c.id).then(sorted), sorted([a.id, b.id]));
      assert.deepEqual(await store.chats.contactIdsOf(d.id), []);
      assert.deepEqual(await store.chats.contactIdsOf(loner.id), []);
      await store.chats.removeMember(one.id, c.id);
      assert.deepEqual(await store.chats.contactIdsOf(c.id), []);
      assert.deepEqual(await store.chats.contactIdsOf(a.id), [b.id]);
      // Asked all at once (a reconnect storm's connects share one statement): the same answers.
      const together = await Promise.all(
        [a, b, c, d, loner, a].map((u) => store.chats.contactIdsOf(u.id)),
      );
      assert.deepEqual(together.map(sorted), [[b.id], sorted([a.id]), [], [], [], [b.id]]);

      const chats = await store.chats.idsOfUsers([a.id, c.id, loner.id]);
      assert.deepEqual(sorted(chats.get(a.id)!), sorted([one.id, two.id]));
      assert.equal(chats.has(c.id), false);
      assert.equal(chats.has(loner.id), false);
      assert.equal((await store.chats.idsOfUsers([])).size, 0);
    },
  );

  await t.test("a pair has one direct chat: a second one is DirectChatExists", async () => {
    const [a, b] = await Promise.all([newUser(store), newUser(store)]);
    const key = [a.id, b.id].sort().join(":");
    const direct = await store.chats.create({
      id: randomUUID(),
      type: "direct",
      name: null,
      created_by: a.id,
      direct_key: key,
      member_ids: [b.id],
    });
    assert.equal((await store.chats.findDirect(key))?.id, direct.id);
    assert.equal(await store.chats.findDirect(`${b.id}:nobody`), undefined);
    await assert.rejects(
      store.chats.create({
        id: randomUUID(),
        type: "direct",
        name: null,
        created_by: b.id,
        direct_key: key,
        member_ids: [a.id],
      }),
      (error) => error instanceof DirectChatExists && error.directKey === key,
    );
  });

  await t.test("chat list: most recent activity first, last message, unread count", async () => {
    const [me, other] = await Promise.all([newUser(store), newUser(store)]);
    const older = await newGroup(store, me.id, [other.id]);
    const newer = await newGroup(store, me.id, [other.id]);
    await store.messages.append([
      newMessage(older.id, other.id, "a"),
      newMessage(older.id, other.id, "b"),
    ]);
    await store.messages.append([newMessage(older.id, me.id, "mine")]);
    let list = await store.chats.listOf(me.id);
    assert.deepEqual(
      list.map((c) => c.id),
      [older.id, newer.id],
    );
    assert.equal(list[0]?.last_message?.body, "mine");
    assert.equal(list[0]?.unread_count, 2, "my own messages are not unread");
    assert.equal(list[1]?.last_message, null);
    assert.equal(list[1]?.unread_count, 0);

    await store.messages.append([newMessage(newer.id, other.id, "news")]);
    assert.equal(await store.chats.markRead(older.id, me.id, 1), 1);
    list = await store.chats.listOf(me.id);
    assert.deepEqual(
      list.map((c) => [c.id, c.unread_count, c.last_read_seq]),
      [
        [newer.id, 1, 0],
        [older.id, 1, 1],
      ],
    );
  });

  await t.test("markRead: never backwards, never past the last message, members only", async () => {
    const [me, outsider] = await Promise.all([newUser(store), newUser(store)]);
    const chat = await newGroup(store, me.id, []);
    assert.equal(
      await store.chats.markRead(chat.id, me.id, 5),
      0,
      "an empty chat has nothing to read",
    );
    await store.messages.append([1, 2, 3].map((i) => newMessage(chat.id, me.id, `m${i}`)));
    assert.equal(await store.chats.markRead(chat.id, me.id, 2), 2);
    assert.equal(await store.chats.markRead(chat.id, me.id, 1), 2);
    assert.equal(await store.chats.markRead(chat.id, me.id, 99), 3);
    assert.equal(await store.chats.markRead(chat.id, outsider.id, 1), undefined);
    assert.equal(await store.chats.markRead(randomUUID(), me.id, 1), undefined);
    assert.equal(await store.chats.markRead(chat.id, me.id, Number.MAX_SAFE_INTEGER), 3);
  });
});
