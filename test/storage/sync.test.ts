/**
 * Catch-up in one statement, on every backend: `changesForMember` answers for every chat of
 * the user what `changesSince` answers chat by chat, leaves out chats the user is not in, and
 * `sync` asks the store the same number of times for a user in 1 chat or in 300. Asks made
 * together (a reconnect storm) share one statement, and each still gets exactly its own
 * answer, with every change committed before it asked.
 */
import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import pino from "pino";
import type { DatabaseConfig } from "../../src/server/config.ts";
import { openStore } from "../../src/server/storage/open.ts";
import { GroupCommit } from "../../src/server/storage/group-commit.ts";
import type { Store } from "../../src/server/storage/store.ts";
import { createMessageService } from "../../src/server/domain/messages.ts";
import type { ChatEvents } from "../../src/server/domain/events.ts";
import {
  appendOne,
  newGroup,
  newMessage,
  newUser,
  onEveryBackend,
  postgresDatabase,
} from "../support/stores.ts";

/** The real store, with every call to an entity store's method counted. */
function counting(store: Store): { store: Store; calls: () => number } {
  let calls = 0;
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, key, receiver) {
        const value = Reflect.get(object, key, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls += 1;
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
  return {
    store: {
      ...store,
      users: wrap(store.users),
      chats: wrap(store.chats),
      messages: wrap(store.messages),
    },
    calls: () => calls,
  };
}

const silentEvents = new Proxy({}, { get: () => () => undefined }) as ChatEvents;

onEveryBackend("sync in one statement", async (t, store) => {
  const [ana, ben, eve] = await Promise.all([newUser(store), newUser(store), newUser(store)]);
  const chats: Awaited<ReturnType<typeof newGroup>>[] = [];
  for (let i = 0; i < 3; i++) chats.push(await newGroup(store, ana.id, [ben.id]));
  const others = await newGroup(store, eve.id, []);
  for (const [i, chat] of chats.entries()) {
    for (let k = 0; k <= i * 2; k++) {
      await appendOne(store, newMessage(chat.id, k % 2 ? ana.id : ben.id, `c${i}m${k}`));
    }
  }
  await appendOne(store, newMessage(others.id, eve.id, "not for ben"));

  await t.test("the same pages as chat by chat, members' chats only", async () => {
    const after = new Map([
      [chats[2]!.id, 2],
      [others.id, 0],
    ]);
    const result = await store.messages.changesForMember(ben.id, after, 2);
    const expected = await Promise.all(
      chats.map(async (chat) => ({
        chat_id: chat.id,
        ...(await store.messages.changesSince(chat.id, after.get(chat.id) ?? 0, 2)),
      })),
    );
    const byId = (a: { chat_id: string }, b: { chat_id: string }) =>
      a.chat_id.localeCompare(b.chat_id);
    assert.deepEqual([...result].sort(byId), expected.sort(byId));
    assert.ok(!result.some((c) => c.chat_id === others.id), "a chat ben is not in");
    assert.ok(
      result.some((c) => c.has_more),
      "pages are cut at the limit",
    );
  });

  await t.test("sync asks the store as often for 300 chats as for 1", async () => {
    const few = await newUser(store);
    const many = await newUser(store);
    await newGroup(store, few.id, []);
    for (let i = 0; i < 300; i++) await newGroup(store, many.id, []);
    const { store: counted, calls } = counting(store);
    const messages = createMessageService({
      store: counted,
      commits: new GroupCommit(counted.messages),
      events: silentEvents,
    });
    const before = calls();
    const one = await messages.sync(few.id, {});
    const forOne = calls() - before;
    const lots = await messages.sync(many.id, {});
    const forMany = calls() - before - forOne;
    assert.equal(one.chats.length, 1);
    assert.equal(lots.chats.length, 300);
    assert.equal(forMany, forOne, "the same number of store calls");
    assert.equal(forOne, 1, "one statement");
  });
});

type Ask = { userId: string; after: Map<string, number>; limit: number };

/** What `changesForMember` must answer, built chat by chat from `changesSince`. */
async function chatByChat(store: Store, ask: Ask, chatIds: readonly string[]) {
  const pages = await Promise.all(
    [...chatIds].sort().map(async (chatId) => ({
      chat_id: chatId,
      ...(await store.messages.changesSince(chatId, ask.after.get(chatId) ?? 0, ask.limit)),
    })),
  );
  return pages;
}

onEveryBackend("catch-ups asked together", async (t, store) => {
  const [ana, ben, eve, dan] = await Promise.all([
    newUser(store),
    newUser(store),
    newUser(store),
    newUser(store),
  ]);
  const both = await newGroup(store, ana.id, [ben.id]);
  const anas = await newGroup(store, ana.id, []);
  const bens = await newGroup(store, ben.id, [eve.id]);
  for (let k = 0; k < 5; k++) {
    await appendOne(store, newMessage(both.id, k % 2 ? ana.id : ben.id, `both ${k}`));
    await appendOne(store, newMessage(anas.id, ana.id, `ana ${k}`));
    await appendOne(store, newMessage(bens.id, eve.id, `ben ${k}`));
  }
  const chatsOf = new Map([
    [ana.id, [both.id, anas.id]],
    [ben.id, [both.id, bens.id]],
    [eve.id, [bens.id]],
    [dan.id, []],
  ]);

  await t.test("each ask gets its own user's chats, cursors and limit", async () => {
    const asks: Ask[] = [
      { userId: ana.id, after: new Map(), limit: 200 },
      { userId: ana.id, after: new Map([[both.id, 3]]), limit: 2 },
      { userId: ana.id, after: new Map([[both.id, 3]]), limit: 2 }, // a second socket, same ask
      { userId: ben.id, after: new Map([[both.id, 3]]), limit: 2 }, // the same page as ana's
      { userId: ben.id, after: new Map([[anas.id, 0]]), limit: 200 }, // lists a chat not his
      { userId: eve.id, after: new Map([[bens.id, 5]]), limit: 1 },
      { userId: dan.id, after: new Map([[both.id, 0]]), limit: 200 }, // in no chat
    ];
    const answers = await Promise.all(
      asks.map((a) => store.messages.changesForMember(a.userId, a.after, a.limit)),
    );
    for (const [i, ask] of asks.entries()) {
      assert.deepEqual(
        answers[i],
        await chatByChat(store, ask, chatsOf.get(ask.userId)!),
        `ask ${i}`,
      );
    }
    assert.ok(!JSON.stringify(answers[4]).includes("ana "), "nothing of a chat ben is not in");
    assert.deepEqual(answers[6], []);
  });

  await t.test(
    "a message stored before an ask is in its answer, batches running or not",
    async () => {
      const ask = (): Promise<unknown> => store.messages.changesForMember(ben.id, new Map(), 200);
      const bodies = (answer: unknown) => JSON.stringify(answer);
      const running = [ask(), ask(), ask()];
      const stored = await appendOne(store, newMessage(both.id, ana.id, "stored before asking"));
      assert.equal(stored.kind, "stored");
      const asked = await Promise.all([ask(), ask()]);
      for (const answer of asked) assert.ok(bodies(answer).includes("stored before asking"));
      await Promise.all(running);
    },
  );
});

async function oneStatementForMany(t: TestContext, database: DatabaseConfig) {
  let statements = 0;
  const store = await openStore(database, pino({ level: "silent" }), {
    onQuery: () => void (statements += 1),
  });
  t.after(() => store.close());
  const users = await Promise.all(Array.from({ length: 30 }, () => newUser(store)));
  for (let i = 0; i < users.length; i += 3) {
    await newGroup(
      store,
      users[i]!.id,
      users.slice(i + 1, i + 3).map((u) => u.id),
    );
  }
  const before = statements;
  // Ten sockets of each user catching up in the same turn, as after a reconnect.
  const answers = await Promise.all(
    users.flatMap((user) =>
      Array.from({ length: 10 }, () => store.messages.changesForMember(user.id, new Map(), 200)),
    ),
  );
  assert.equal(answers.length, 300);
  assert.ok(answers.every((chats) => chats.length === 1));
  assert.equal(statements - before, 1, "300 catch-ups asked together, one statement");
}

test("catch-ups asked together share one statement, on PGlite", async (t) => {
  await oneStatementForMany(t, { kind: "pglite", dataDir: undefined });
});

test("catch-ups asked together share one statement, on PostgreSQL", async (t) => {
  const database = await postgresDatabase(t, "catch-ups together on PostgreSQL");
  if (database) await oneStatementForMany(t, database);
});
