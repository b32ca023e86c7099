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
import { runSweep, type SweepResult } from "../../bench/scenarios/sweep.ts";

const quiet = (): void => undefined;

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
    // Ports from the kernel, so a run never meets another process on a fixed one.
    "--port-base",
    "0",
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

  // Rounds taken in turns: each ratio uses each server's best round, and the report shows
  // the ratio round by round. (The measured sweep stands in for every round; only the
  // figures the choice depends on differ.)
  const sweepRound = (
    target: SweepResult["target"],
    n: number,
    maxSustained: number,
    p99At3k: number,
  ): SweepResult => ({
    ...sweep,
    target,
    round: n,
    maxSustained,
    steps: [
      { ...sweep.steps[0]!, offered: 3000, latency: { ...sweep.steps[0]!.latency, p99: p99At3k } },
    ],
  });
  const rounds: Results = {
    ...results,
    sweep: [
      sweepRound("baseline", 1, 10_000, 20),
      sweepRound("charla-pg", 1, 6_000, 50),
      sweepRound("baseline", 2, 8_000, 30),
      sweepRound("charla-pg", 2, 9_000, 40),
    ],
  };
  const ratios = computeRatios(rounds);
  assert.equal(ratios.persistedThroughput, 0.9);
  assert.deepEqual(ratios.persistedThroughputByRound, [0.6, 1.125]);
  assert.equal(ratios.p99At3k, 2);
  rounds.ratios = ratios;
  const report = markdown(rounds);
  assert.match(report, /\| charla-pg #2 \| 3000 \|/);
  assert.match(report, /round by round 0\.60, 1\.13\) \| 0\.90 \|/);
});
