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

  await t.test("by ids, asked by many at once: each gets its own users, once each", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => newUser(store)));
    const ids = users.map((u) => u.id);
    const [all, some, twice, none, spelled] = await Promise.all([
      store.users.findByIds(ids),
      store.users.findByIds([ids[1]!, randomUUID(), ids[4]!]),
      store.users.findByIds([ids[2]!, ids[2]!]),
      store.users.findByIds([randomUUID()]),
      store.users.findByIds([ids[5]!.toUpperCase()]),
    ]);
    const sorted = (found: { id: string }[]) => found.map((u) => u.id).sort();
    assert.deepEqual(sorted(all), [...ids].sort());
    assert.deepEqual(sorted(some), [ids[1]!, ids[4]!].sort());
    assert.deepEqual(sorted(twice), [ids[2]!]);
    assert.deepEqual(none, []);
    assert.deepEqual(sorted(spelled), [ids[5]!], "another spelling of a uuid still finds it");
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

  await t.test("with chats: many handshakes at once each get their own user", async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => newUser(store)));
    const chat = await store.chats.create({
      id: randomUUID(),
      type: "group",
      name: "many",
      created_by: users[0]!.id,
      direct_key: null,
      member_ids: users.slice(1, 6).map((u) => u.id),
    });
    await store.blocks.block(users[7]!.id, users[8]!.id);
    // Concurrent reads, as in a reconnect storm: one batch, answers per caller.
    const found = await Promise.all([
      ...users.map((u) => store.users.findWithChats(u.id)),
      store.users.findWithChats(users[3]!.id),
      store.users.findWithChats(randomUUID()),
      store.users.findWithChats("not-a-uuid"),
      store.users.findWithChats(users[2]!.id.toUpperCase()),
    ]);
    assert.deepEqual(
      found.slice(0, 12).map((f) => f?.user.id),
      users.map((u) => u.id),
    );
    users.forEach((u, i) =>
      assert.deepEqual(found[i]?.chatIds, i < 6 ? [chat.id] : [], `chats of user ${i}`),
    );
    assert.deepEqual(found[7]?.blockPeerIds, [users[8]!.id]);
    assert.deepEqual(found[8]?.blockPeerIds, [users[7]!.id]);
    assert.deepEqual(found[9]?.blockPeerIds, []);
    assert.equal(found[12]?.user.id, users[3]!.id, "the same user twice");
    assert.equal(found[13], undefined);
    assert.equal(found[14], undefined);
    assert.equal(found[15]?.user.id, users[2]!.id, "another spelling of a uuid still finds it");
  });

  await t.test("with chats: the users in a block with them, either way, once each", async () => {
    const [me, blocked, blocker, both] = await Promise.all([
      newUser(store),
      newUser(store),
      newUser(store),
      newUser(store),
    ]);
    assert.deepEqual((await store.users.findWithChats(me.id))?.blockPeerIds, []);
    await store.blocks.block(me.id, blocked.id);
    await store.blocks.block(blocker.id, me.id);
    await store.blocks.block(me.id, both.id);
    await store.blocks.block(both.id, me.id);
    const expected = [blocked.id, blocker.id, both.id].sort();
    assert.deepEqual((await store.users.findWithChats(me.id))?.blockPeerIds.sort(), expected);
    assert.deepEqual((await store.blocks.peersOf(me.id)).sort(), expected);
    assert.deepEqual(await store.blocks.peersOf(blocked.id), [me.id]);
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

  await t.test("profile: display name set and cleared; a closed account cannot", async () => {
    const ana = await newUser(store);
    assert.equal(ana.display_name, null);
    assert.equal(ana.avatar_id, null);
    assert.equal(ana.deleted_at, null);
    assert.equal((await store.users.setDisplayName(ana.id, "Ana"))?.display_name, "Ana");
    assert.equal((await store.users.findById(ana.id))?.display_name, "Ana");
    assert.equal((await store.users.setDisplayName(ana.id, null))?.display_name, null);
    assert.equal(await store.users.setDisplayName(randomUUID(), "x"), undefined);
  });

  await t.test("password hash: replaced with a new token version", async () => {
    const ana = await newUser(store);
    assert.equal(await store.users.setPasswordHash(ana.id, "new-hash"), 1);
    const after = await store.users.findById(ana.id);
    assert.equal(after?.password_hash, "new-hash");
    assert.equal(after?.token_version, 1);
  });

  await t.test("avatars: one current per user, found by id, gone when replaced", async () => {
    const ana = await newUser(store);
    const bytes = new Uint8Array([1, 2, 3]);
    const first = await store.users.setAvatar(ana.id, {
      id: "first-id",
      content_type: "image/webp",
      bytes,
    });
    assert.equal(first?.avatar_id, "first-id");
    const found = await store.users.findAvatar("first-id");
    assert.equal(found?.content_type, "image/webp");
    assert.deepEqual([...found!.bytes], [1, 2, 3]);
    await store.users.setAvatar(ana.id, { id: "second-id", content_type: "image/webp", bytes });
    assert.equal(await store.users.findAvatar("first-id"), undefined, "the old one is gone");
    assert.ok(await store.users.findAvatar("second-id"));
    assert.equal((await store.users.clearAvatar(ana.id))?.avatar_id, null);
    assert.equal(await store.users.findAvatar("second-id"), undefined);
    assert.equal(
      await store.users.setAvatar(randomUUID(), { id: "x", content_type: "a", bytes }),
      undefined,
    );
  });

  await t.test("close: profile and avatar go, tokens end, the name stays taken", async () => {
    const ana = await newUser(store, `closed_${randomUUID().slice(0, 6)}`);
    await store.users.setDisplayName(ana.id, "Ana");
    await store.users.setAvatar(ana.id, {
      id: `av-${ana.id}`,
      content_type: "image/webp",
      bytes: new Uint8Array([1]),
    });
    assert.equal(await store.users.close(ana.id), true);
    const closed = await store.users.findById(ana.id);
    assert.ok(closed?.deleted_at);
    assert.equal(closed?.display_name, null);
    assert.equal(closed?.avatar_id, null);
    assert.equal(closed?.token_version, 1);
    assert.equal(await store.users.findAvatar(`av-${ana.id}`), undefined);
    assert.equal(await store.users.close(ana.id), false, "once");
    assert.equal(await store.users.setDisplayName(ana.id, "back"), undefined);
    await assert.rejects(newUser(store, ana.username.toUpperCase()), UsernameTaken);
    assert.equal(await store.users.close("not-a-uuid"), false);
  });
});

onEveryBackend("UserStore admission (first account, invites)", async (t, store) => {
  const { NotAdmitted } = await import("../../src/server/storage/errors.ts");
  const { hashSecret } = await import("../../src/server/domain/secrets.ts");
  const account = (username: string) => ({
    id: randomUUID(),
    username,
    password_hash: "h",
  });

  await t.test("racing first registrations on an empty server: exactly one admin", async () => {
    const created = await Promise.all(
      ["r1", "r2", "r3", "r4"].map((name) =>
        store.users.create(account(name), { kind: "closed" }).catch((e) => e),
      ),
    );
    const stored = created.filter((c) => !(c instanceof Error));
    assert.equal(stored.length, 1, "closed: only the first gets in");
    assert.equal(stored[0].role, "admin");
    assert.ok(created.filter((c) => c instanceof NotAdmitted).length === 3);
  });

  await t.test("invites: expired, used up, unknown; a failed insert spends nothing", async () => {
    const admin = (await store.users.search("r", 10)).find((u) => u.role === "admin")!;
    assert.ok(admin);
    const invite = async (code: string, expiresInMs: number, maxUses = 1) =>
      store.invites.create(
        {
          id: randomUUID(),
          code_hash: hashSecret(code),
          created_by: admin.id,
          max_uses: maxUses,
          expires_at: new Date(Date.now() + expiresInMs),
        },
        {
          id: randomUUID(),
          actor_id: admin.id,
          action: "invite.create",
          target_type: "invite",
          target_id: null,
        },
      );
    await invite("expired", -1000);
    await invite("fresh", 60_000);
    const withInvite = (code: string | undefined) => ({
      kind: "invite" as const,
      codeHash: code === undefined ? undefined : hashSecret(code),
    });
    await assert.rejects(store.users.create(account("e1"), withInvite("expired")), NotAdmitted);
    await assert.rejects(store.users.create(account("u1"), withInvite("unknown")), NotAdmitted);
    await assert.rejects(store.users.create(account("m1"), withInvite(undefined)), NotAdmitted);
    // Taken name: the invite's one use is not spent.
    await assert.rejects(
      store.users.create(account(admin.username.toUpperCase()), withInvite("fresh")),
      UsernameTaken,
    );
    const joined = await store.users.create(account("f1"), withInvite("fresh"));
    assert.equal(joined.role, "user");
    await assert.rejects(store.users.create(account("f2"), withInvite("fresh")), NotAdmitted);
    const listed = await store.invites.list(10);
    assert.deepEqual(listed.map((i) => i.uses).sort(), [0, 1]);
  });

  await t.test("promoteAdmins: by name in any case; the count of those changed", async () => {
    const ben = await store.users.create(account("Ben_Promote"));
    assert.equal(ben.role, "user");
    assert.equal(await store.users.promoteAdmins(["ben_promote", "nobody"]), 1);
    assert.equal((await store.users.findById(ben.id))?.role, "admin");
    assert.equal(await store.users.promoteAdmins(["BEN_PROMOTE"]), 0);
  });
});
