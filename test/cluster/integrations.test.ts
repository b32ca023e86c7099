/**
 * Integrations across nodes, on PostgreSQL and Redis: a bot's token revoked through one node
 * ends its live sockets on every node at once; outgoing webhook deliveries from two nodes
 * reach the receiver once each (retries aside), in commit order per chat, through a receiver
 * that fails then recovers; a node SIGKILLed with deliveries queued loses none of them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  connectError,
  connectSocket,
  createChat,
  http,
  postMessage,
  registerUser,
} from "../support/clients.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { testConfig } from "../support/server.ts";
import { clusterEnvOrSkip, spawnNode, startNodes, until } from "./support.ts";

test("revoking a bot's token ends its sockets on every node", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const nodes = await startNodes(t, env, 2);
  const urls = nodes.map((node) => node.url);
  const admin = await registerUser(urls[0]!, "cluster_bots_root");
  const created = await http(urls[1]!, "POST", "/api/bots", {
    token: admin.token,
    body: { username: "cluster_bot" },
  });
  assert.equal(created.status, 201);
  const token = created.body.token as string;

  const sockets = await Promise.all(urls.map((url) => connectSocket(t, url, token)));
  const closed = sockets.map(
    (socket) => new Promise<string>((resolve) => socket.once("disconnect", resolve)),
  );
  const revoked = await http(urls[0]!, "DELETE", `/api/bots/${created.body.user.id}/token`, {
    token: admin.token,
  });
  assert.equal(revoked.status, 204);
  assert.deepEqual(await Promise.all(closed), ["io server disconnect", "io server disconnect"]);
  for (const url of urls) {
    assert.equal((await http(url, "GET", "/api/users/me", { token })).status, 401);
    assert.equal((await connectError(t, url, { auth: { token } })).message, "UNAUTHORIZED");
  }
});

/** Message ids a receiver answered 2xx for, each with how many times. */
function deliveredCounts(receiver: Receiver): Map<string, number> {
  const counts = new Map<string, number>();
  for (const got of receiver.received) {
    if (got.answered !== 200) continue;
    counts.set(got.body.delivery_id, (counts.get(got.body.delivery_id) ?? 0) + 1);
  }
  return counts;
}

test("webhook deliveries from two nodes: each once, in order per chat, after failures", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const base = testConfig();
  const nodes = await startNodes(t, env, 2, {
    webhooks: {
      ...base.webhooks,
      allowPrivate: true,
      pollMs: 50,
      timeoutMs: 2000,
      retry: { firstMs: 200, maxMs: 400, giveUpMs: 60_000 },
    },
  });
  const urls = nodes.map((node) => node.url);
  const admin = await registerUser(urls[0]!, "cluster_hooks_root");
  const [ana, ben] = await Promise.all([registerUser(urls[0]!), registerUser(urls[1]!)]);
  const receiver = await startReceiver(t);
  // The receiver is down for its first five requests, then recovers.
  let failures = 5;
  receiver.answer = () => (failures-- > 0 ? 503 : 200);
  const webhook = await http(urls[1]!, "POST", "/api/webhooks", {
    token: admin.token,
    body: { url: receiver.url, events: ["message:send"], secret: "cluster-secret" },
  });
  assert.equal(webhook.status, 201);
  const chats = await Promise.all(
    [0, 1, 2].map((i) => createChat(urls[i % 2]!, ana, "group", [ben], `hooked ${i}`)),
  );

  const sends = [];
  for (let i = 0; i < 60; i++) {
    const sender = i % 2 === 0 ? ana : ben;
    sends.push(postMessage(urls[i % 2]!, sender, chats[i % 3]!.id, `n${i}`));
  }
  const messages = await Promise.all(sends);
  await until(() => deliveredCounts(receiver).size === 60, "all 60 delivered", 20_000);
  // A barrier: a later message's delivery arrives behind any duplicate still on its way.
  const last = await postMessage(urls[0]!, ana, chats[0]!.id, "barrier");
  await until(
    () => receiver.received.some((r) => r.answered === 200 && r.body.data.id === last.id),
    "the barrier delivered",
  );
  const counts = deliveredCounts(receiver);
  assert.equal(counts.size, 61);
  assert.deepEqual(
    [...counts.values()].filter((n) => n !== 1),
    [],
  );
  const byChat = new Map<string, number[]>();
  for (const got of receiver.received.filter((r) => r.answered === 200)) {
    const list = byChat.get(got.body.data.chat_id) ?? [];
    list.push(got.body.data.seq);
    byChat.set(got.body.data.chat_id, list);
  }
  for (const [chatId, seqs] of byChat) {
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      `chat ${chatId}`,
    );
  }
  const ids = new Set(receiver.received.map((r) => r.body.data.id));
  for (const message of messages) assert.equal(ids.has(message.id), true);
});

test("a SIGKILLed node's queued deliveries are all sent after a restart", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const receiver = await startReceiver(t);
  // In flight at the kill: the receiver holds every request open.
  receiver.answer = () => "hang";
  const webhookEnv = {
    WEBHOOK_ALLOW_PRIVATE: "1",
    WEBHOOK_POLL_MS: "100",
    WEBHOOK_TIMEOUT_SECONDS: "1",
    WEBHOOK_RETRY_FIRST_SECONDS: "1",
  };
  const first = await spawnNode(t, env, webhookEnv);
  const admin = await registerUser(first.url, "kill_hooks_root");
  const ana = await registerUser(first.url);
  const webhook = await http(first.url, "POST", "/api/webhooks", {
    token: admin.token,
    body: { url: receiver.url, events: ["message:send"], secret: "kill-secret" },
  });
  assert.equal(webhook.status, 201);
  const chats = await Promise.all(
    [0, 1, 2].map((i) => createChat(first.url, admin, "group", [ana], `kill ${i}`)),
  );
  const messages: Array<{ id: string }> = [];
  for (let i = 0; i < 30; i++) {
    messages.push(await postMessage(first.url, ana, chats[i % 3]!.id, `queued ${i}`));
  }
  await until(() => receiver.received.length >= 3, "deliveries in flight", 10_000);
  await first.kill();

  receiver.answer = () => 200;
  await spawnNode(t, env, webhookEnv);
  await until(
    () => {
      const delivered = new Set(
        receiver.received.filter((r) => r.answered === 200).map((r) => r.body.data.id),
      );
      return messages.every((m) => delivered.has(m.id));
    },
    "every queued message delivered after the restart",
    30_000,
  );
});
