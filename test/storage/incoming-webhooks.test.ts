/**
 * The incoming half of the WebhookStore contract, on every backend: a webhook comes with its
 * bot member; it is listed only while that bot is a member (only then can it post); deleting
 * it, by its id or by its bot, takes the bot out of the chat and deactivates it, with the
 * audit entry in the same statement, and changes nothing (audits nothing) when there is no
 * such webhook.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { newGroup, newUser, onEveryBackend } from "../support/stores.ts";

onEveryBackend("Incoming webhooks", async (t, store) => {
  const owner = await newUser(store, "hooks_owner");
  const member = await newUser(store, "hooks_member");
  const group = await newGroup(store, owner.id, [member.id]);
  const other = await newGroup(store, owner.id, []);
  const audit = (action: string) => ({
    id: randomUUID(),
    actor_id: owner.id,
    action,
    target_type: "chat",
    target_id: group.id,
  });
  const create = (name: string, chatId = group.id) =>
    store.webhooks.createIncoming(
      {
        id: randomUUID(),
        name,
        chat_id: chatId,
        created_by: owner.id,
        token_hash: randomUUID(),
        bot: { id: randomUUID(), username: `webhook-${randomUUID().slice(0, 8)}` },
      },
      audit("webhook.incoming.create"),
    );
  const listed = async (chatId = group.id) =>
    (await store.webhooks.listIncoming(chatId)).map((w) => w.name);
  const isMember = async (chatId: string, userId: string) =>
    (await store.chats.get(chatId))!.members.some((m) => m.user_id === userId);
  const auditCount = async () => (await store.moderation.audit(100)).length;

  const ci = await create("CI");
  const alerts = await create("Alerts");
  const elsewhere = await create("Elsewhere", other.id);

  await t.test("create: the webhook, its bot a member of the chat, the audit entry", async () => {
    assert.deepEqual(await listed(), ["CI", "Alerts"]);
    assert.deepEqual(await listed(other.id), ["Elsewhere"]);
    assert.ok(await isMember(group.id, ci.bot_id));
    assert.equal((await store.users.findById(ci.bot_id))?.bot, true);
    assert.equal(await auditCount(), 3);
  });

  await t.test("listed only while its bot is a member of the chat", async () => {
    assert.ok(await store.chats.removeMember(group.id, ci.bot_id));
    assert.deepEqual(await listed(), ["Alerts"]);
    assert.ok(await store.chats.addMember(group.id, ci.bot_id));
    assert.deepEqual(await listed(), ["CI", "Alerts"]);
  });

  await t.test("deleteIncomingOfBot: neither a person nor another chat's bot", async () => {
    const before = await auditCount();
    for (const [chatId, userId] of [
      [group.id, member.id],
      [group.id, elsewhere.bot_id],
      [group.id, randomUUID()],
    ] as const) {
      const deleted = await store.webhooks.deleteIncomingOfBot(
        chatId,
        userId,
        audit("webhook.incoming.delete"),
      );
      assert.equal(deleted, undefined);
    }
    assert.ok(await isMember(group.id, member.id));
    assert.equal((await store.users.findById(member.id))?.deactivated_at, null);
    assert.deepEqual(await listed(other.id), ["Elsewhere"]);
    assert.equal(await auditCount(), before);
  });

  await t.test("deleteIncomingOfBot: the webhook, its membership, its bot, audited", async () => {
    const before = await auditCount();
    const deleted = await store.webhooks.deleteIncomingOfBot(
      group.id,
      alerts.bot_id,
      audit("webhook.incoming.delete"),
    );
    assert.equal(deleted?.id, alerts.id);
    assert.deepEqual(await listed(), ["CI"]);
    assert.equal(await isMember(group.id, alerts.bot_id), false);
    assert.notEqual((await store.users.findById(alerts.bot_id))?.deactivated_at, null);
    const entries = await store.moderation.audit(100);
    assert.equal(entries.length, before + 1);
    assert.deepEqual(
      [entries[0]!.action, entries[0]!.target_type, entries[0]!.target_id],
      ["webhook.incoming.delete", "chat", group.id],
    );
    // Again: nothing left to delete, nothing audited.
    assert.equal(
      await store.webhooks.deleteIncomingOfBot(
        group.id,
        alerts.bot_id,
        audit("webhook.incoming.delete"),
      ),
      undefined,
    );
    assert.equal(await auditCount(), before + 1);
  });

  await t.test("deleteIncoming by id: the same, only in its own chat", async () => {
    assert.equal(
      await store.webhooks.deleteIncoming(other.id, ci.id, audit("webhook.incoming.delete")),
      undefined,
    );
    const deleted = await store.webhooks.deleteIncoming(
      group.id,
      ci.id,
      audit("webhook.incoming.delete"),
    );
    assert.equal(deleted?.id, ci.id);
    assert.deepEqual(await listed(), []);
    assert.equal(await isMember(group.id, ci.bot_id), false);
  });
});
