/**
 * The Store contract, run against every backend: PGlite (in memory) and PostgreSQL
 * (TEST_DATABASE_URL). On PostgreSQL also: many concurrent senders through several pools
 * keep each chat's seq exactly 1..N, and one client_msg_id sent concurrently stores one row.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test, type TestContext } from "node:test";
import pino from "pino";
import { sqlState } from "../../src/server/storage/driver.ts";
import { GroupCommit } from "../../src/server/storage/group-commit.ts";
import { openStore } from "../../src/server/storage/open.ts";
import type { DatabaseConfig } from "../../src/server/config.ts";
import type { Message } from "@charla/protocol/schemas";
import type { NewMessage, Store } from "../../src/server/storage/store.ts";
import { createTestDatabase, postgresUrl, skipLoudly } from "../support/server.ts";

const log = pino({ level: "silent" });

async function open(t: TestContext, database: DatabaseConfig): Promise<Store> {
  const store = await openStore(database, log);
  t.after(() => store.close());
  return store;
}

async function user(store: Store, username = `u_${randomUUID().slice(0, 8)}`) {
  return store.createUser({ id: randomUUID(), username, password_hash: "not-a-real-hash" });
}

async function group(store: Store, ownerId: string, memberIds: string[]) {
  return store.createChat({
    id: randomUUID(),
    type: "group",
    name: "team",
    created_by: ownerId,
    direct_key: null,
    member_ids: memberIds,
  });
}

function msg(chatId: string, senderId: string, body: string, clientMsgId: string | null = null) {
  return {
    id: randomUUID(),
    chat_id: chatId,
    sender_id: senderId,
    body,
    client_msg_id: clientMsgId,
  };
}

async function send(store: Store, message: NewMessage) {
  const [result] = await store.appendMessages([message]);
  assert.ok(result);
  return result;
}

async function storeContract(t: TestContext, store: Store) {
  await t.test("users: unique regardless of case, found regardless of case", async () => {
    const ana = await user(store, "Ana_Store");
    assert.equal(ana.username, "Ana_Store");
    assert.equal(ana.token_version, 0);
    assert.ok(!Number.isNaN(Date.parse(ana.created_at)));
    await assert.rejects(user(store, "ana_store"), (error) => sqlState(error) === "23505");
    assert.equal((await store.findUserByUsername("ANA_STORE"))?.id, ana.id);
    assert.equal((await store.findUserById(ana.id))?.username, "Ana_Store");
    assert.equal(await store.findUserById(randomUUID()), undefined);
    assert.deepEqual(
      (await store.findUsersByIds([ana.id, randomUUID()])).map((u) => u.id),
      [ana.id],
    );
    assert.deepEqual(
      (await store.searchUsers("na_sT", 10)).map((u) => u.id),
      [ana.id],
    );
    // LIKE wildcards are literal: "%" matches only a "%".
    assert.deepEqual(await store.searchUsers("%", 10), []);
    await store.bumpTokenVersion(ana.id);
    assert.equal((await store.findUserById(ana.id))?.token_version, 1);
  });

  await t.test("chats and members", async () => {
    const [owner, a, b] = await Promise.all([user(store), user(store), user(store)]);
    const chat = await group(store, owner.id, [a.id]);
    assert.equal(chat.type, "group");
    assert.equal(chat.created_by, owner.id);
    assert.deepEqual(
      chat.members.map((m) => [m.user_id, m.role]),
      [
        [owner.id, "owner"],
        [a.id, "member"],
      ],
    );
    assert.deepEqual(await store.getChat(chat.id), chat);
    assert.equal(await store.getChat(randomUUID()), undefined);
    assert.equal(await store.memberRole(chat.id, owner.id), "owner");
    assert.equal(await store.memberRole(chat.id, a.id), "member");
    assert.equal(await store.memberRole(chat.id, b.id), undefined);

    assert.equal(await store.addMember(chat.id, b.id), true);
    assert.equal(await store.addMember(chat.id, b.id), false);
    assert.deepEqual(await store.chatIdsOf(b.id), [chat.id]);
    assert.equal(await store.removeMember(chat.id, b.id), true);
    assert.equal(await store.removeMember(chat.id, b.id), false);
    assert.deepEqual(await store.chatIdsOf(b.id), []);

    // An owner who leaves hands the group to the longest-standing member.
    assert.equal(await store.removeMember(chat.id, owner.id), true);
    assert.equal(await store.memberRole(chat.id, a.id), "owner");

    const key = [owner.id, b.id].sort().join(":");
    const direct = await store.createChat({
      id: randomUUID(),
      type: "direct",
      name: null,
      created_by: owner.id,
      direct_key: key,
      member_ids: [b.id],
    });
    assert.equal((await store.findDirectChat(key))?.id, direct.id);
    await assert.rejects(
      store.createChat({
        id: randomUUID(),
        type: "direct",
        name: null,
        created_by: b.id,
        direct_key: key,
        member_ids: [owner.id],
      }),
      (error) => sqlState(error) === "23505",
    );
  });

  await t.test(
    "append: seq 1, 2, 3 …; client_msg_id dedupe; non-members store nothing",
    async () => {
      const [owner, a, outsider] = await Promise.all([user(store), user(store), user(store)]);
      const chat = await group(store, owner.id, [a.id]);
      const first = await send(store, msg(chat.id, owner.id, "one", "c-1"));
      assert.ok(first.kind === "stored", first.kind);
      assert.equal(first.message.seq, 1);
      assert.equal(first.message.change_seq, 1);
      assert.equal(first.message.status, "sent");
      assert.equal(first.message.client_msg_id, "c-1");
      assert.equal(first.message.updated_at, null);

      // One batch: two messages, a repeat of an earlier client_msg_id, a repeat within the
      // batch, and a non-member's message.
      const results = await store.appendMessages([
        msg(chat.id, a.id, "two", "c-1"), // another sender may reuse the same client_msg_id
        msg(chat.id, owner.id, "again", "c-1"),
        msg(chat.id, owner.id, "three", "c-3"),
        msg(chat.id, owner.id, "three retried", "c-3"),
        msg(chat.id, outsider.id, "intruder"),
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

      const history = await store.history(chat.id, { limit: 50 });
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
      assert.equal((await send(store, msg(randomUUID(), owner.id, "x"))).kind, "not_member");
      assert.equal((await send(store, msg(chat.id, randomUUID(), "x"))).kind, "not_member");
      assert.equal((await store.history(chat.id, { limit: 50 })).messages.length, 3);
    },
  );

  await t.test("append: the message acknowledged is the message read back", async () => {
    const [owner, a] = await Promise.all([user(store), user(store)]);
    const chat = await group(store, owner.id, [a.id]);
    const results = await store.appendMessages([
      msg(chat.id, owner.id, "first", "k-1"),
      msg(chat.id, a.id, 'with "quotes", {braces} and \\ backslash'),
      msg(chat.id, owner.id, "último ✓"),
      msg(chat.id, a.id, "four", "k-4"),
      msg(chat.id, owner.id, "five"),
    ]);
    const acknowledged = results.map((r) => (r.kind === "stored" ? r.message : r.kind));
    const history = await store.history(chat.id, { limit: 50 });
    assert.deepEqual(acknowledged, history.messages);
  });

  await t.test(
    "edit and delete take the next change_seq; a deleted message stays deleted",
    async () => {
      const owner = await user(store);
      const chat = await group(store, owner.id, []);
      const sent = await send(store, msg(chat.id, owner.id, "hello"));
      assert.ok(sent.kind === "stored");
      await send(store, msg(chat.id, owner.id, "second"));

      const edited = await store.editMessage(sent.message.id, "hello, edited");
      assert.equal(edited?.status, "updated");
      assert.equal(edited?.body, "hello, edited");
      assert.equal(edited?.seq, 1);
      assert.equal(edited?.change_seq, 3);
      assert.ok(edited?.updated_at && !Number.isNaN(Date.parse(edited.updated_at)));

      const deleted = await store.deleteMessage(sent.message.id);
      assert.equal(deleted?.status, "deleted");
      assert.equal(deleted?.body, "");
      assert.equal(deleted?.change_seq, 4);
      assert.equal(await store.editMessage(sent.message.id, "back from the dead"), undefined);
      assert.equal(await store.deleteMessage(sent.message.id), undefined);
      assert.equal(await store.editMessage(randomUUID(), "nothing"), undefined);

      const [inHistory] = (await store.history(chat.id, { limit: 1, before_seq: 2 })).messages;
      assert.equal(inHistory?.status, "deleted");
      assert.equal(inHistory?.body, "");

      // The next send still gets the next seq: changes do not consume seqs.
      const next = await send(store, msg(chat.id, owner.id, "third"));
      assert.ok(next.kind === "stored");
      assert.equal(next.message.seq, 3);
      assert.equal(next.message.change_seq, 5);

      const access = await store.findMessageForAccess(next.message.id, owner.id);
      assert.equal(access?.callerRole, "owner");
      assert.equal(access?.chatType, "group");
      const stranger = await store.findMessageForAccess(next.message.id, randomUUID());
      assert.equal(stranger?.callerRole, null);
      assert.equal(await store.findMessageForAccess(randomUUID(), owner.id), undefined);
    },
  );

  await t.test("history cursors and changesSince", async () => {
    const owner = await user(store);
    const chat = await group(store, owner.id, []);
    const batch = Array.from({ length: 10 }, (_, i) => msg(chat.id, owner.id, `m${i + 1}`));
    await store.appendMessages(batch);
    const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);

    const newest = await store.history(chat.id, { limit: 3 });
    assert.deepEqual(seqs(newest), [8, 9, 10]);
    assert.equal(newest.has_more, true);
    const below = await store.history(chat.id, { limit: 3, before_seq: 8 });
    assert.deepEqual(seqs(below), [5, 6, 7]);
    assert.equal(below.has_more, true);
    const bottom = await store.history(chat.id, { limit: 3, before_seq: 4 });
    assert.deepEqual(seqs(bottom), [1, 2, 3]);
    assert.equal(bottom.has_more, false);
    const above = await store.history(chat.id, { limit: 4, after_seq: 2 });
    assert.deepEqual(seqs(above), [3, 4, 5, 6]);
    assert.equal(above.has_more, true);
    const tail = await store.history(chat.id, { limit: 4, after_seq: 7 });
    assert.deepEqual(seqs(tail), [8, 9, 10]);
    assert.equal(tail.has_more, false);
    assert.deepEqual(seqs(await store.history(chat.id, { limit: 5, after_seq: 10 })), []);

    // Edit m3, delete m5: since change 8 come m9, m10, then m3's edit and m5's delete, once each.
    await store.editMessage(batch[2]!.id, "m3 edited");
    await store.deleteMessage(batch[4]!.id);
    await store.editMessage(batch[2]!.id, "m3 edited twice");
    const changes = await store.changesSince(chat.id, 8, 100);
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
    const limited = await store.changesSince(chat.id, 8, 2);
    assert.deepEqual(
      limited.messages.map((m) => m.change_seq),
      [9, 10],
    );
    assert.equal(limited.has_more, true);
  });

  await t.test("chat list: most recent activity first, last message, unread count", async () => {
    const [me, other] = await Promise.all([user(store), user(store)]);
    const older = await group(store, me.id, [other.id]);
    const newer = await group(store, me.id, [other.id]);
    await store.appendMessages([msg(older.id, other.id, "a"), msg(older.id, other.id, "b")]);
    await store.appendMessages([msg(older.id, me.id, "mine")]);
    let list = await store.listChatsOf(me.id);
    assert.deepEqual(
      list.map((c) => c.id),
      [older.id, newer.id],
    );
    assert.equal(list[0]?.last_message?.body, "mine");
    assert.equal(list[0]?.unread_count, 2, "my own messages are not unread");
    assert.equal(list[1]?.last_message, null);
    assert.equal(list[1]?.unread_count, 0);

    await store.appendMessages([msg(newer.id, other.id, "news")]);
    assert.equal(await store.markRead(older.id, me.id, 1), 1);
    list = await store.listChatsOf(me.id);
    assert.deepEqual(
      list.map((c) => [c.id, c.unread_count, c.last_read_seq]),
      [
        [newer.id, 1, 0],
        [older.id, 1, 1],
      ],
    );
  });

  await t.test("markRead: never backwards, never past the last message, members only", async () => {
    const [me, outsider] = await Promise.all([user(store), user(store)]);
    const chat = await group(store, me.id, []);
    assert.equal(await store.markRead(chat.id, me.id, 5), 0, "an empty chat has nothing to read");
    await store.appendMessages([1, 2, 3].map((i) => msg(chat.id, me.id, `m${i}`)));
    assert.equal(await store.markRead(chat.id, me.id, 2), 2);
    assert.equal(await store.markRead(chat.id, me.id, 1), 2);
    assert.equal(await store.markRead(chat.id, me.id, 99), 3);
    assert.equal(await store.markRead(chat.id, outsider.id, 1), undefined);
    assert.equal(await store.markRead(randomUUID(), me.id, 1), undefined);
  });

  await t.test("cursors up to the protocol's largest seq (2^53 - 1) are answered", async () => {
    const me = await user(store);
    const chat = await group(store, me.id, []);
    await store.appendMessages([msg(chat.id, me.id, "only")]);
    const huge = Number.MAX_SAFE_INTEGER;
    const below = await store.history(chat.id, { limit: 5, before_seq: huge });
    assert.deepEqual(
      below.messages.map((m) => m.body),
      ["only"],
    );
    assert.deepEqual((await store.history(chat.id, { limit: 5, after_seq: huge })).messages, []);
    assert.deepEqual((await store.changesSince(chat.id, huge, 5)).messages, []);
    assert.equal(await store.markRead(chat.id, me.id, huge), 1);
  });

  await t.test("ping answers while open", async () => {
    await store.ping();
  });
}

test("Store contract on PGlite (in memory)", async (t) => {
  await storeContract(t, await open(t, { kind: "pglite", dataDir: undefined }));
});

test("Store contract on PostgreSQL", async (t) => {
  const server = postgresUrl();
  if (!server) return skipLoudly(t, "Store contract on PostgreSQL");
  const url = await createTestDatabase(t, server);
  await storeContract(t, await open(t, { kind: "postgres", url, poolSize: 5 }));
});

test("PostgreSQL: concurrent senders on several pools get seq exactly 1..N", async (t) => {
  const server = postgresUrl();
  if (!server) return skipLoudly(t, "concurrent senders on PostgreSQL");
  const url = await createTestDatabase(t, server);
  // Four stores, each with its own pool and group commit: four nodes writing to one chat.
  const stores = await Promise.all(
    [0, 1, 2, 3].map(() => open(t, { kind: "postgres", url, poolSize: 4 })),
  );
  const commits = stores.map((store) => new GroupCommit(store, { maxBatch: 8 }));
  const first = stores[0]!;
  const senders = await Promise.all(Array.from({ length: 20 }, () => user(first)));
  const chat = await group(
    first,
    senders[0]!.id,
    senders.slice(1).map((s) => s.id),
  );
  const PER_SENDER = 25;

  await t.test("20 senders × 25 messages: no gap, no duplicate, each sender in order", async () => {
    await Promise.all(
      senders.map(async (sender, i) => {
        for (let k = 0; k < PER_SENDER; k++) {
          // Alternate nodes and paths: group commit and direct single appends.
          const message = msg(chat.id, sender.id, `${i}:${k}`, `s${i}-${k}`);
          const result =
            k % 3 === 0
              ? await send(stores[(i + k) % 4]!, message)
              : await commits[(i + k) % 4]!.append(message);
          assert.equal(result.kind, "stored");
        }
      }),
    );
    let page = await first.history(chat.id, { limit: 200, after_seq: 0 });
    const rest: Message[] = [...page.messages];
    while (page.has_more) {
      page = await first.history(chat.id, { limit: 200, after_seq: rest.at(-1)!.seq });
      rest.push(...page.messages);
    }
    const total = senders.length * PER_SENDER;
    assert.deepEqual(
      rest.map((m) => m.seq),
      Array.from({ length: total }, (_, i) => i + 1),
    );
    assert.deepEqual(
      [...rest.map((m) => m.change_seq)].sort((a, b) => a - b),
      Array.from({ length: total }, (_, i) => i + 1),
    );
    assert.equal(new Set(rest.map((m) => m.id)).size, total);
    for (const [i] of senders.entries()) {
      const mine = rest.filter((m) => m.body.startsWith(`${i}:`)).map((m) => m.body);
      assert.deepEqual(
        mine,
        Array.from({ length: PER_SENDER }, (_, k) => `${i}:${k}`),
      );
    }
  });

  await t.test(
    "one client_msg_id sent concurrently through every pool stores one row",
    async () => {
      const sender = senders[1]!;
      const attempts = Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? send(stores[i % 4]!, msg(chat.id, sender.id, "only once", "retry-me"))
          : commits[i % 4]!.append(msg(chat.id, sender.id, "only once", "retry-me")),
      );
      const results = await Promise.all(attempts);
      const stored = results.filter((r) => r.kind === "stored");
      assert.equal(stored.length, 1, JSON.stringify(results.map((r) => r.kind)));
      const ids = new Set(results.map((r) => (r.kind === "not_member" ? "none" : r.message.id)));
      assert.equal(ids.size, 1, "every attempt answers with the same message");
      const newest = await first.history(chat.id, { limit: 2 });
      assert.deepEqual(
        newest.messages.map((m) => [m.seq, m.body]),
        [
          [senders.length * PER_SENDER, newest.messages[0]!.body],
          [senders.length * PER_SENDER + 1, "only once"],
        ],
      );
    },
  );
});
