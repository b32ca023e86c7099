/**
 * The benchmark harness at toy scale against the in-memory baseline: connections, open-loop
 * load, delivery counting, the reconnect storm's catch-up and loss check, and the report.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseOptions } from "../../bench/lib/options.ts";
import { computeRatios, markdown, svgChart, type Results } from "../../bench/lib/report.ts";
import { Seeds } from "../../bench/lib/seed.ts";
import { runStorm } from "../../bench/scenarios/storm.ts";
import { runSweep } from "../../bench/scenarios/sweep.ts";

const quiet = (): void => undefined;
const port = 3450 + Math.floor(Math.random() * 40);

test("sweep and storm against the baseline, with report", { timeout: 120_000 }, async () => {
  const opts = parseOptions([
    "--clients",
    "40",
    "--room",
    "5",
    "--rates",
    "50,100",
    "--step-seconds",
    "1",
    "--drain-ms",
    "2000",
    "--storm-clients",
    "60",
    "--storm-users",
    "20",
    "--storm-rate",
    "20",
    "--storm-modes",
    "drop",
    "--port-base",
    String(port),
    // A loaded CI machine must not fail a step on latency: this checks counting, not speed.
    "--slo-p99-ms",
    "60000",
    "--out",
    "/tmp/charla-bench-test",
  ]);
  const seeds = new Seeds(opts, quiet);
  const sweep = await runSweep(opts, seeds, "baseline", quiet);
  assert.equal(sweep.steps.length, 2);
  for (const s of sweep.steps) {
    assert.equal(s.lost, 0);
    assert.equal(s.unacked, 0);
    assert.ok(s.acked >= s.offered * 0.9, `acked ${s.acked} of ${s.offered}`);
    assert.equal(s.expected, s.acked * 5);
    assert.ok(s.latency.count === s.delivered && s.latency.p99 > 0);
  }
  const storm = await runStorm(opts, seeds, "baseline", quiet);
  const round = storm.rounds[0]!;
  assert.equal(round.synced, 60);
  assert.equal(round.missing, 0);
  assert.ok(round.checked > 0);

  const results: Results = {
    startedAt: new Date().toISOString(),
    command: "test",
    machine: {},
    options: opts,
    sweep: [sweep],
    idle: [],
    storm: [storm],
    notes: [],
  };
  results.ratios = computeRatios(results);
  assert.match(markdown(results), /\| baseline \| 100 \|/);
  assert.match(svgChart([sweep], "t"), /^<svg[\s\S]*<polyline[\s\S]*<\/svg>$/);
});
