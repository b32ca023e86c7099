/**
 * The webhooks scenario's plumbing at toy scale on PostgreSQL: each step without and then
 * with an outgoing webhook, every acknowledged message delivered once, in order per chat, to
 * the scenario's receiver, and the report's table.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseOptions } from "../../bench/lib/options.ts";
import { Seeds } from "../../bench/lib/seed.ts";
import { runWebhooks, webhooksMarkdown } from "../../bench/scenarios/webhooks.ts";

const pgUrl = process.env.TEST_DATABASE_URL;
const quiet = (): void => undefined;

test(
  "webhooks at toy scale: deliveries counted, once each, in order",
  { skip: pgUrl ? false : "needs TEST_DATABASE_URL", timeout: 180_000 },
  async () => {
    const opts = parseOptions([
      ...["--clients", "20", "--room", "5", "--rates", "20,40", "--step-seconds", "1"],
      ...["--drain-ms", "2000", "--port-base", "0", "--pg-url", pgUrl!],
      // A loaded machine must not fail a step on latency: this checks counting, not speed.
      ...["--slo-p99-ms", "60000", "--out", "/tmp/charla-bench-test"],
    ]);
    const r = await runWebhooks(opts, new Seeds(opts, quiet), "charla-pg", "test", quiet);
    assert.deepEqual(
      r.steps.map((s) => s.rate),
      [20, 40],
    );
    for (const s of r.steps) {
      assert.ok(s.without.acked > 0 && s.with.acked > 0);
      assert.equal(s.with.lost, 0);
      assert.equal(s.deliveries.expected, s.with.acked);
      assert.equal(s.deliveries.delivered, s.with.acked);
      assert.equal(s.deliveries.duplicates, 0);
      assert.equal(s.deliveries.outOfOrder, 0);
      assert.ok(s.deliveries.complete && s.deliveries.lag.count === s.with.acked);
    }
    assert.ok(r.maxSustainedWith > 0 && r.ratio > 0);
    assert.match(webhooksMarkdown(r), /\| 40 \| \d+ \|/);
  },
);
