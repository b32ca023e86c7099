/** The ModerationStore contract (audit log, reports) and deactivation, on every backend. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { newUser, onEveryBackend } from "../support/stores.ts";

onEveryBackend("ModerationStore", async (t, store) => {
  const admin = await newUser(store);

  await t.test("audit: newest first, paged by the last id", async () => {
    const ids: string[] = [];
    for (const action of ["a.one", "a.two", "a.three"]) {
      const entry = await store.moderation.record({
        id: randomUUID(),
        actor_id: admin.id,
        action,
        target_type: "user",
        target_id: admin.id,
      });
      assert.equal(entry.action, action);
      ids.push(entry.id);
    }
    const all = await store.moderation.audit(10);
    assert.deepEqual(
      all.map((e) => e.action),
      ["a.three", "a.two", "a.one"],
    );
    const page = await store.moderation.audit(1, all[0]!.id);
    assert.deepEqual(
      page.map((e) => e.action),
      ["a.two"],
    );
  });

  await t.test("reports: stored and listed newest first", async () => {
    const messageId = randomUUID();
    const first = await store.moderation.report({
      id: randomUUID(),
      message_id: messageId,
      reporter_id: admin.id,
      reason: "spam",
    });
    const second = await store.moderation.report({
      id: randomUUID(),
      message_id: messageId,
      reporter_id: admin.id,
      reason: "again",
    });
    assert.deepEqual(
      (await store.moderation.reports(10)).map((r) => r.id),
      [second.id, first.id],
    );
  });

  await t.test("deactivation bumps the token version; reactivation keeps it", async () => {
    const user = await newUser(store);
    const off = await store.users.setDeactivated(user.id, true);
    assert.ok(off?.deactivated_at);
    assert.equal(off?.token_version, user.token_version + 1);
    const on = await store.users.setDeactivated(user.id, false);
    assert.equal(on?.deactivated_at, null);
    assert.equal(on?.token_version, user.token_version + 1);
    assert.equal(await store.users.setDeactivated(randomUUID(), true), undefined);
    assert.equal(await store.users.setDeactivated("not-a-uuid", true), undefined);
  });
});
