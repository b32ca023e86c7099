/**
 * The hundredk scenario's plumbing at toy scale: SQL-seeded users with signed tokens, clients
 * spread over two Charla nodes on PostgreSQL + Redis, traffic in rooms across the nodes, then
 * one node killed and its clients failing over to the other and catching up, nothing lost.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseOptions } from "../../bench/lib/options.ts";
import { runBigGroup } from "../../bench/scenarios/biggroup.ts";
import { runHundredk } from "../../bench/scenarios/hundredk.ts";

const pgUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;

test(
  "hundredk at toy scale: two nodes, traffic, one node killed",
  {
    skip: !pgUrl || !redisUrl ? "needs TEST_DATABASE_URL and TEST_REDIS_URL" : false,
    timeout: 240_000,
  },
  async () => {
    process.env.REDIS_URL = redisUrl;
    const opts = parseOptions([
      ...["--hk-clients", "40", "--hk-nodes", "2", "--hk-rate", "20", "--hk-seconds", "1"],
      ...["--hk-pool-size", "3", "--drain-ms", "3000", "--pg-url", pgUrl!],
      ...["--hk-addresses", "127.0.0.1", "--hk-failover-timeout-s", "120"],
    ]);
    const r = await runHundredk(
      opts,
      20_000,
      () => "test",
      () => undefined,
    );
    assert.equal(r.connected, 40);
    assert.equal(r.nodes, 2);
    assert.deepEqual(
      r.perNode.map((n) => n.clients),
      [20, 20],
    );
    assert.ok(r.load.acked > 0);
    assert.equal(r.load.unacked, 0);
    assert.equal(r.load.lost, 0);
    assert.equal(r.load.delivered, r.load.acked * 10);
    const f = r.failover!;
    assert.equal(f.clients, 20);
    assert.equal(f.synced, 20);
    assert.equal(f.missing, 0);
    assert.ok(f.checked > 0);
  },
);

test(
  "biggroup at toy scale: one group over two nodes, committed once, against the baseline",
  {
    skip: !pgUrl || !redisUrl ? "needs TEST_DATABASE_URL and TEST_REDIS_URL" : false,
    timeout: 240_000,
  },
  async () => {
    process.env.REDIS_URL = redisUrl;
    const opts = parseOptions([
      ...["--bg-members", "30", "--bg-nodes", "2", "--bg-rate", "10", "--hk-seconds", "1"],
      ...["--hk-pool-size", "3", "--drain-ms", "3000", "--pg-url", pgUrl!],
      ...["--hk-addresses", "127.0.0.1"],
    ]);
    const r = await runBigGroup(
      opts,
      20_000,
      () => "test",
      () => undefined,
    );
    assert.equal(r.charla.connected, 30);
    assert.equal(r.charla.failover, undefined);
    assert.ok(r.charla.load.acked > 0);
    assert.equal(r.charla.load.committed, r.charla.load.acked);
    assert.equal(r.charla.load.delivered, r.charla.load.acked * 30);
    assert.equal(r.charla.load.lost, 0);
    const b = r.baseline!;
    assert.equal(b.members, 30);
    assert.ok(b.acked > 0);
    assert.equal(b.delivered, b.acked * 30);
  },
);
