/** @charla/client: bots and webhooks through createAdminApi, posting through postToWebhook. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chatFixture } from "../support/fixture.ts";
import { startReceiver } from "../support/receiver.ts";
import { testConfig } from "../support/server.ts";

test("@charla/client: bots, incoming and outgoing webhooks", async (t) => {
  const { createAdminApi, postToWebhook } = await import("@charla/client");
  const base = testConfig();
  const fixture = await chatFixture(t, ["root_client_hooks"], {
    webhooks: { ...base.webhooks, allowPrivate: true, pollMs: 100 },
  });
  const [root] = fixture.users;
  const ana = await fixture.register("ana_client_hooks");
  const api = createAdminApi(fixture.url, root.token);

  const bot = await api.createBot({ username: "client_bot" });
  assert.equal(bot.user.bot, true);
  assert.deepEqual(
    (await api.bots()).map((b) => b.id),
    [bot.user.id],
  );
  const reissued = await api.reissueBotToken(bot.user.id);
  assert.notEqual(reissued.token, bot.token);
  await api.revokeBotToken(bot.user.id);

  const receiver = await startReceiver(t);
  const outgoing = await api.createOutgoingWebhook({
    url: receiver.url,
    events: ["message:send"],
    secret: "client-secret",
  });
  assert.deepEqual(await api.outgoingWebhooks(), [outgoing]);

  const group = await fixture.group(root, [ana], "client hooks");
  const incoming = await api.createIncomingWebhook(group.id, "CI");
  assert.deepEqual(
    (await api.incomingWebhooks(group.id)).map((w) => w.id),
    [incoming.id],
  );
  const message = await postToWebhook(incoming.url, "from the client");
  assert.equal(message.sender_id, incoming.bot_id);

  const deliveries = await (async () => {
    for (let i = 0; i < 100; i++) {
      const list = await api.deliveries(outgoing.id);
      if (list[0]?.delivered_at) return list;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("not delivered");
  })();
  assert.equal(deliveries[0]!.event, "message:send");
  assert.equal(receiver.received[0]!.body.data.id, message.id);

  await api.deleteIncomingWebhook(group.id, incoming.id);
  await api.deleteOutgoingWebhook(outgoing.id);
  assert.deepEqual(await api.outgoingWebhooks(), []);
  await assert.rejects(postToWebhook(incoming.url, "gone"), { code: "NOT_FOUND" });
});
