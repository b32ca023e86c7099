/**
 * Outgoing webhooks (CONTRACT.md v2): an admin registers a URL, events and a secret; each
 * event is POSTed as { delivery_id, event, data, created_at } signed with HMAC-SHA256, data
 * being the socket event's payload; a chat's deliveries go in commit order, one at a time; a
 * failing receiver is retried with the same delivery_id and holds back the later ones; a dead
 * receiver never slows sending; redirects are not followed; private addresses are refused
 * unless WEBHOOK_ALLOW_PRIVATE=1; GET /api/webhooks/:id/deliveries shows the attempts.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { emitWithAck, eventually, http, nextEvent, registerUser } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { expectedSignature, startReceiver } from "../support/receiver.ts";
import { startServer, testConfig } from "../support/server.ts";
import { isPrivateAddress } from "../../src/server/webhooks/addresses.ts";
import { retryDelayMs } from "../../src/server/webhooks/backoff.ts";

const ALL_EVENTS = ["message:send", "message:update", "message:delete", "chat:created"];

test("outgoing webhooks", async (t) => {
  const base = testConfig();
  const fixture = await chatFixture(t, ["root_outhook"], {
    webhooks: {
      ...base.webhooks,
      allowPrivate: true,
      timeoutMs: 1000,
      pollMs: 100,
      retry: { firstMs: 200, maxMs: 400, giveUpMs: 60_000 },
    },
  });
  const {
    url,
    users: [root],
  } = fixture;
  const [ana, ben] = await Promise.all([
    fixture.register("ana_outhook"),
    fixture.register("ben_outhook"),
  ]);
  const as = (user: { token: string }) => ({ token: user.token });
  const receiver = await startReceiver(t);
  const secret = "s3cret-for-signing";

  const created = await http(url, "POST", "/api/webhooks", {
    ...as(root),
    body: { url: receiver.url, events: ALL_EVENTS, secret },
  });

  await t.test("register: admin only, 201 without the secret", async () => {
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.url, receiver.url);
    assert.deepEqual(created.body.events, ALL_EVENTS);
    assert.equal(JSON.stringify(created.body).includes(secret), false);
    const body = { url: receiver.url, events: ["message:send"], secret };
    const refused = await http(url, "POST", "/api/webhooks", { ...as(ana), body });
    assert.equal(refused.status, 403);
    assert.equal((await http(url, "POST", "/api/webhooks", { body })).status, 401);
    for (const [method, path] of [
      ["GET", "/api/webhooks"],
      ["GET", `/api/webhooks/${created.body.id}/deliveries`],
      ["DELETE", `/api/webhooks/${created.body.id}`],
    ] as const) {
      assert.equal((await http(url, method, path, as(ana))).status, 403, path);
    }
    for (const bad of [
      { ...body, events: [] },
      { ...body, events: ["typing"] },
      { ...body, url: "ftp://example.test/" },
      { ...body, url: "not a url" },
      { ...body, secret: "" },
      { url: receiver.url, events: ["message:send"] },
    ]) {
      const answer = await http(url, "POST", "/api/webhooks", { ...as(root), body: bad });
      assert.equal(answer.body.error?.code, "VALIDATION_ERROR", JSON.stringify(bad));
    }
    const listed = await http(url, "GET", "/api/webhooks", as(root));
    assert.deepEqual(listed.body, { webhooks: [created.body] });
  });

  const group = await fixture.group(root, [ana, ben], "hooked");

  await t.test("each event: signed { delivery_id, event, data, created_at }", async () => {
    const socket = await fixture.connect(ana);
    const sent = await emitWithAck(socket, "message:send", { chat_id: group.id, body: "hello" });
    const edited = await emitWithAck(socket, "message:update", {
      id: sent.message.id,
      body: "hello, edited",
    });
    const deletedLive = nextEvent(socket, "message:delete");
    await emitWithAck(socket, "message:delete", { id: sent.message.id });
    const deleted = await deletedLive;
    const got = await eventually(() => {
      const events = receiver.received.map((r) => r.body.event);
      assert.deepEqual(
        events,
        ALL_EVENTS.slice(0, 4).sort((a, b) => order(a) - order(b)),
      );
      return receiver.received;
    });
    for (const delivery of got) {
      assert.equal(delivery.headers["x-charla-signature"], expectedSignature(secret, delivery.raw));
      assert.equal(delivery.headers["content-type"], "application/json");
      assert.match(delivery.body.delivery_id, /^[0-9a-f-]{36}$/);
      assert.ok(!Number.isNaN(Date.parse(delivery.body.created_at)));
      assert.deepEqual(Object.keys(delivery.body).sort(), [
        "created_at",
        "data",
        "delivery_id",
        "event",
      ]);
    }
    const [chatCreated, send, update, remove] = got.map((r) => r.body.data);
    assert.deepEqual(chatCreated, group);
    assert.deepEqual(send, sent.message);
    assert.deepEqual(update, edited.message);
    assert.deepEqual(remove, deleted);
  });

  await t.test("one chat's deliveries arrive in commit order", async () => {
    receiver.received.length = 0;
    const bodies = Array.from({ length: 25 }, (_, i) => `m${i}`);
    await Promise.all(bodies.map((body) => fixture.post(ben, group.id, body)));
    const seqs = await eventually(() => {
      const got = receiver.received.filter((r) => r.body.event === "message:send");
      assert.equal(got.length, bodies.length);
      return got.map((r) => r.body.data.seq);
    });
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
  });

  await t.test("a failing receiver: retried with the same id, holding back the rest", async () => {
    receiver.received.length = 0;
    let failures = 3;
    receiver.answer = () => (failures-- > 0 ? 500 : 200);
    const first = await fixture.post(ana, group.id, "first");
    const second = await fixture.post(ana, group.id, "second");
    await eventually(() => {
      assert.equal(receiver.received.at(-1)?.body.data.id, second.id);
    }, 10_000);
    const ids = receiver.received.map((r) => r.body.data.id);
    // The first message is tried four times before the second is sent at all.
    assert.deepEqual(ids, [first.id, first.id, first.id, first.id, second.id]);
    assert.equal(new Set(receiver.received.slice(0, 4).map((r) => r.body.delivery_id)).size, 1);
    const listed = await http(url, "GET", `/api/webhooks/${created.body.id}/deliveries`, as(root));
    assert.equal(listed.status, 200);
    const entry = listed.body.deliveries.find(
      (d: any) => d.delivery_id === receiver.received[0]!.body.delivery_id,
    );
    assert.equal(entry.attempts, 4);
    assert.equal(entry.last_status, 200);
    assert.ok(entry.delivered_at);
    assert.equal(entry.next_attempt_at, null);
    assert.equal(entry.event, "message:send");
    receiver.answer = () => 200;
  });

  await t.test("redirects are failures, never followed", async () => {
    receiver.received.length = 0;
    let redirects = 1;
    receiver.answer = () => (redirects-- > 0 ? 302 : 200);
    const message = await fixture.post(ana, group.id, "redirected");
    await eventually(() => assert.equal(receiver.received.length, 2), 10_000);
    assert.deepEqual(
      receiver.received.map((r) => r.body.data.id),
      [message.id, message.id],
    );
    receiver.answer = () => 200;
  });

  await t.test("a receiver that never answers does not slow sending", async () => {
    receiver.received.length = 0;
    receiver.answer = () => "hang";
    const started = performance.now();
    for (let i = 0; i < 20; i++) await fixture.post(ana, group.id, `while hanging ${i}`);
    const elapsed = performance.now() - started;
    // Twenty sends, each well under the 1 s delivery timeout the hanging receiver costs.
    assert.ok(elapsed < 3000, `20 sends took ${Math.round(elapsed)} ms`);
    await eventually(() => assert.equal(receiver.received.length >= 2, true), 10_000);
    receiver.answer = () => 200;
    await eventually(() => {
      const bodies = new Set(receiver.received.map((r) => r.body.data.body));
      assert.equal(bodies.has("while hanging 19"), true);
    }, 20_000);
  });

  await t.test("deleting the webhook: 204, nothing more is sent", async () => {
    const removed = await http(url, "DELETE", `/api/webhooks/${created.body.id}`, as(root));
    assert.equal(removed.status, 204);
    const gone = await http(url, "GET", `/api/webhooks/${created.body.id}/deliveries`, as(root));
    assert.equal(gone.status, 404);
    receiver.received.length = 0;
    const socket = await fixture.connect(ben);
    await emitWithAck(socket, "message:send", { chat_id: group.id, body: "unheard" });
    // A barrier: a second webhook's delivery of a later message arrives, the first's never.
    const other = await startReceiver(t);
    const second = await http(url, "POST", "/api/webhooks", {
      ...as(root),
      body: { url: other.url, events: ["message:send"], secret },
    });
    assert.equal(second.status, 201);
    await emitWithAck(socket, "message:send", { chat_id: group.id, body: "barrier" });
    await eventually(() => assert.equal(other.received.length, 1));
    assert.equal(receiver.received.length, 0);
    const audit = await http(url, "GET", "/api/admin/audit", as(root));
    const actions = audit.body.entries
      .filter((e: any) => e.target_id === created.body.id)
      .map((e: any) => [e.action, e.target_type, e.actor_id]);
    assert.deepEqual(actions, [
      ["webhook.outgoing.delete", "webhook", root.user.id],
      ["webhook.outgoing.create", "webhook", root.user.id],
    ]);
  });
});

/** The order events of one chat take: the chat, then its messages' changes. */
function order(event: string): number {
  return ["chat:created", "message:send", "message:update", "message:delete"].indexOf(event);
}

test("private and loopback webhook URLs are refused by default", async (t) => {
  const { url } = await startServer(t);
  const root = await registerUser(url, "root_private");
  for (const target of [
    "http://127.0.0.1:9/hook",
    "http://localhost:9/hook",
    "http://10.1.2.3/hook",
    "http://192.168.1.1/hook",
    "http://172.16.0.1/hook",
    "http://169.254.169.254/latest",
    "http://[::1]:9/hook",
    "http://[fd00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0.0.0.0/hook",
  ]) {
    const refused = await http(url, "POST", "/api/webhooks", {
      token: root.token,
      body: { url: target, events: ["message:send"], secret: "x" },
    });
    assert.equal(refused.status, 400, target);
    assert.equal(refused.body.error.code, "VALIDATION_ERROR");
  }
  assert.equal(isPrivateAddress("8.8.8.8"), false);
  assert.equal(isPrivateAddress("2606:4700::1111"), false);
  assert.equal(isPrivateAddress("100.64.0.1"), true);
  const deliveries = await http(url, "GET", `/api/webhooks/${randomUUID()}/deliveries`, {
    token: root.token,
  });
  assert.equal(deliveries.status, 404);
});

test("backoff: the first retry within 10 s, then doubling up to 10 min, with jitter", () => {
  const policy = { firstMs: 10_000, maxMs: 600_000, giveUpMs: 86_400_000 };
  assert.equal(
    retryDelayMs(1, policy, () => 1),
    10_000,
  );
  assert.equal(
    retryDelayMs(1, policy, () => 0),
    5_000,
  );
  assert.equal(
    retryDelayMs(2, policy, () => 1),
    20_000,
  );
  assert.equal(
    retryDelayMs(7, policy, () => 1),
    600_000,
  );
  assert.equal(
    retryDelayMs(50, policy, () => 1),
    600_000,
  );
});
