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

  /** An audit record for `action` on `target_id`, by the admin. */
  const entry = (action: string, target_type: string, target_id: string) => ({
    id: randomUUID(),
    actor_id: admin.id,
    action,
    target_type,
    target_id,
  });
  const logged = async (id: string) =>
    (await store.moderation.audit(1000)).find((candidate) => candidate.id === id);

  await t.test("deactivation bumps the token version; reactivation keeps it", async () => {
    const user = await newUser(store);
    const off = await store.users.setDeactivated(
      user.id,
      true,
      entry("user.deactivate", "user", user.id),
    );
    assert.ok(off?.deactivated_at);
    assert.equal(off?.token_version, user.token_version + 1);
    const on = await store.users.setDeactivated(
      user.id,
      false,
      entry("user.reactivate", "user", user.id),
    );
    assert.equal(on?.deactivated_at, null);
    assert.equal(on?.token_version, user.token_version + 1);
    const unknown = randomUUID();
    assert.equal(
      await store.users.setDeactivated(unknown, true, entry("user.deactivate", "user", unknown)),
      undefined,
    );
    assert.equal(
      await store.users.setDeactivated(
        "not-a-uuid",
        true,
        entry("user.deactivate", "user", "not-a-uuid"),
      ),
      undefined,
    );
  });

  await t.test("an admin change and its audit entry commit in one statement", async () => {
    const user = await newUser(store);
    const off = entry("user.deactivate", "user", user.id);
    await store.users.setDeactivated(user.id, true, off);
    const written = await logged(off.id);
    assert.deepEqual(written && { ...written, created_at: undefined }, {
      ...off,
      created_at: undefined,
    });

    const nobody = entry("user.deactivate", "user", randomUUID());
    await store.users.setDeactivated(nobody.target_id, true, nobody);
    assert.equal(await logged(nobody.id), undefined, "nothing changed, nothing logged");

    const invite = entry("invite.create", "invite", randomUUID());
    await store.invites.create(
      {
        id: invite.target_id,
        code_hash: randomUUID(),
        created_by: admin.id,
        max_uses: 1,
        expires_at: new Date(Date.now() + 60_000),
      },
      invite,
    );
    assert.equal((await logged(invite.id))?.target_id, invite.target_id);

    const gone = entry("message.delete", "message", randomUUID());
    assert.equal(await store.messages.delete(gone.target_id, gone), undefined);
    assert.equal(await logged(gone.id), undefined, "no such message, nothing logged");
  });
});
