/** The BotStore contract, on every backend: accounts, token hashes, audit in the same statement. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { UsernameTaken } from "../../src/server/storage/errors.ts";
import { newUser, onEveryBackend } from "../support/stores.ts";

onEveryBackend("Bots", async (t, store) => {
  const admin = await newUser(store, "bots_admin");
  const audit = (action: string, target: string) => ({
    id: randomUUID(),
    actor_id: admin.id,
    action,
    target_type: "bot",
    target_id: target,
  });
  const id = randomUUID();
  const bot = await store.bots.create(
    { id, username: "Store_Bot", display_name: "Bot", token_hash: "a".repeat(64) },
    audit("bot.create", id),
  );

  await t.test("create: a user with bot, no role, its token hash and the audit entry", async () => {
    assert.equal(bot.bot, true);
    assert.equal(bot.role, "user");
    assert.equal(bot.display_name, "Bot");
    assert.equal((await store.bots.findByTokenHash("a".repeat(64)))?.user.id, id);
    assert.equal((await store.moderation.audit(10))[0]?.action, "bot.create");
    await assert.rejects(
      store.bots.create(
        { id: randomUUID(), username: "store_bot", display_name: null, token_hash: "b" },
        audit("bot.create", "x"),
      ),
      UsernameTaken,
    );
    // The failed create wrote no audit entry either.
    assert.equal((await store.moderation.audit(10)).length, 1);
  });

  await t.test("setToken replaces or removes the hash and bumps the version", async () => {
    const replaced = await store.bots.setToken(id, "c".repeat(64), audit("bot.token.reissue", id));
    assert.equal(replaced?.token_version, bot.token_version + 1);
    assert.equal(await store.bots.findByTokenHash("a".repeat(64)), undefined);
    assert.equal((await store.bots.findByTokenHash("c".repeat(64)))?.user.id, id);
    const removed = await store.bots.setToken(id, null, audit("bot.token.revoke", id));
    assert.equal(removed?.token_version, bot.token_version + 2);
    assert.equal(await store.bots.findByTokenHash("c".repeat(64)), undefined);
  });

  await t.test("setToken on a person or nobody changes nothing, audits nothing", async () => {
    const before = (await store.moderation.audit(50)).length;
    assert.equal(await store.bots.setToken(admin.id, null, audit("x", admin.id)), undefined);
    assert.equal(await store.bots.setToken(randomUUID(), "d", audit("x", "y")), undefined);
    assert.equal((await store.users.findById(admin.id))?.token_version, admin.token_version);
    assert.equal((await store.moderation.audit(50)).length, before);
    assert.deepEqual(
      (await store.bots.list()).map((u) => u.username),
      ["Store_Bot"],
    );
  });
});
