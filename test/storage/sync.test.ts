/**
 * Catch-up in one statement, on every backend: `changesForMember` answers for every chat of
 * the user what `changesSince` answers chat by chat, leaves out chats the user is not in, and
 * `sync` asks the store the same number of times for a user in 1 chat or in 300.
 */
import assert from "node:assert/strict";
import { GroupCommit } from "../../src/server/storage/group-commit.ts";
import type { Store } from "../../src/server/storage/store.ts";
import { createMessageService } from "../../src/server/domain/messages.ts";
import type { ChatEvents } from "../../src/server/domain/events.ts";
import { appendOne, newGroup, newMessage, newUser, onEveryBackend } from "../support/stores.ts";

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
