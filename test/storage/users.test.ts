/** The UserStore contract, on every backend. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { UsernameTaken } from "../../src/server/storage/errors.ts";
import { newUser, onEveryBackend } from "../support/stores.ts";

onEveryBackend("UserStore", async (t, store) => {
  await t.test("unique regardless of case, found regardless of case", async () => {
    const ana = await newUser(store, "Ana_Store");
    assert.equal(ana.username, "Ana_Store");
    assert.equal(ana.token_version, 0);
    assert.ok(!Number.isNaN(Date.parse(ana.created_at)));
    await assert.rejects(
      newUser(store, "ana_store"),
      (error) => error instanceof UsernameTaken && error.username === "ana_store",
    );
    assert.equal((await store.users.findByUsername("ANA_STORE"))?.id, ana.id);
    assert.equal((await store.users.findById(ana.id))?.username, "Ana_Store");
    assert.equal(await store.users.findById(randomUUID()), undefined);
    assert.deepEqual(
      (await store.users.findByIds([ana.id, randomUUID()])).map((u) => u.id),
      [ana.id],
    );
  });

  await t.test("an id that is not a uuid finds nobody", async () => {
    assert.equal(await store.users.findById("not-a-uuid"), undefined);
    assert.equal(await store.users.findWithChats("not-a-uuid"), undefined);
  });

  await t.test("with chats: the user and the ids of their chats", async () => {
    const [me, other] = await Promise.all([newUser(store), newUser(store)]);
    assert.deepEqual((await store.users.findWithChats(me.id))?.chatIds, []);
    const chat = await store.chats.create({
      id: randomUUID(),
      type: "group",
      name: "team",
      created_by: other.id,
      direct_key: null,
      member_ids: [me.id],
    });
    const found = await store.users.findWithChats(me.id);
    assert.equal(found?.user.id, me.id);
    assert.deepEqual(found?.chatIds, [chat.id]);
    assert.equal(await store.users.findWithChats(randomUUID()), undefined);
  });

  await t.test("search: part of the name, regardless of case; wildcards are literal", async () => {
    const ana = await newUser(store, "Ana_Search");
    assert.deepEqual(
      (await store.users.search("na_sE", 10)).map((u) => u.id),
      [ana.id],
    );
    // LIKE wildcards are literal: "%" matches only a "%".
    assert.deepEqual(await store.users.search("%", 10), []);
  });

  await t.test("token version: bumped by one", async () => {
    const ana = await newUser(store);
    await store.users.bumpTokenVersion(ana.id);
    assert.equal((await store.users.findById(ana.id))?.token_version, 1);
  });
});
