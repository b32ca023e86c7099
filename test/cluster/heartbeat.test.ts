/**
 * A node's presence heartbeat in Redis keeps going while its shared connection is held up
 * (a backlog of presence and adapter commands, here one blocking command): otherwise the
 * other nodes reap a live node and announce all its users gone.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import pino from "pino";
import { createClient } from "redis";
import { createRedisPresence } from "../../src/server/cluster/redis-presence.ts";
import { eventually } from "../support/clients.ts";
import { redisUrl, skipLoudly } from "../support/server.ts";

test("the heartbeat refreshes the node's deadline while its shared Redis connection is held up", async (t) => {
  const url = redisUrl();
  if (!url) return skipLoudly(t, "this test needs Redis");
  const prefix = `charla_test_${randomBytes(5).toString("hex")}`;
  const nodes = `${prefix}:{presence}:nodes`;
  const shared = createClient({ url });
  const heartbeats = shared.duplicate();
  const observer = shared.duplicate();
  await Promise.all([shared.connect(), heartbeats.connect(), observer.connect()]);
  t.after(async () => {
    const keys = await observer.keys(`${prefix}:*`);
    if (keys.length > 0) await observer.del(keys);
    for (const client of [shared, heartbeats, observer]) client.destroy();
  });
  const presence = createRedisPresence({
    client: shared,
    heartbeatClient: heartbeats,
    prefix,
    nodeKey: "busy-node",
    heartbeatMs: 100,
    expiryMs: 1_000,
    log: pino({ level: "silent" }),
  });
  presence.start(() => undefined);
  t.after(() => presence.close());
  const registered = await eventually(async () => {
    const deadline = await observer.zScore(nodes, "busy-node");
    assert.ok(deadline !== null, "the node registers");
    return deadline;
  });

  // Everything sent on the shared connection now waits until the hold is released.
  const held = shared.blPop(`${prefix}:hold`, 0);
  let sharedAnswered = false;
  const ping = shared.ping().then(() => (sharedAnswered = true));

  await eventually(async () => {
    const deadline = await observer.zScore(nodes, "busy-node");
    assert.ok(deadline !== null && deadline > registered + 300, "the deadline moves on");
  });
  assert.equal(sharedAnswered, false, "the shared connection was held all along");

  await observer.lPush(`${prefix}:hold`, "release");
  await held;
  await ping;
});
