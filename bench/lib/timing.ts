/**
 * Latency of one query timed many times, and the machine's other load while it ran: the box
 * is shared, so every figure carries how busy it was with work that was not ours.
 */
import { readFileSync } from "node:fs";
import { machineCpuSeconds, postgresCpuSeconds, sleep } from "./servers.ts";

export interface Latency {
  queries: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * CPU used during the timing by everything but this process and PostgreSQL's processes,
   * in % of one core (the box has 2): what another engineer's work took from the run.
   */
  otherCpuPct: number;
  loadAverage: string;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

export const loadAverage = () =>
  readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

/** The machine's busy CPU over `ms` before anything starts, as a note for the figures. */
export async function machineLoadNote(ms = 2000): Promise<string> {
  const m0 = machineCpuSeconds();
  await sleep(ms);
  const busy = (100 * (machineCpuSeconds() - m0)) / (ms / 1000);
  return `load average ${loadAverage()}, ${busy.toFixed(0)}% of a core busy over ${ms / 1000} s before starting`;
}

/**
 * Runs `run(i)` for i in [0, count), one after another, after `warmUp` untimed calls; the
 * quantiles of the timed ones.
 */
export async function timeEach(
  count: number,
  run: (i: number) => Promise<unknown>,
  warmUp = 20,
): Promise<Latency> {
  for (let i = 0; i < warmUp; i++) await run(i % Math.max(1, count));
  const times: number[] = [];
  const wall0 = performance.now();
  const machine0 = machineCpuSeconds();
  const own0 = ownCpuSeconds();
  const pg0 = postgresCpuSeconds();
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  const wall = (performance.now() - wall0) / 1000;
  const other =
    machineCpuSeconds() - machine0 - (ownCpuSeconds() - own0) - (postgresCpuSeconds() - pg0);
  times.sort((a, b) => a - b);
  return {
    queries: count,
    p50Ms: quantile(times, 0.5),
    p95Ms: quantile(times, 0.95),
    p99Ms: quantile(times, 0.99),
    maxMs: times.at(-1)!,
    otherCpuPct: wall > 0 ? Math.max(0, (100 * other) / wall) : 0,
    loadAverage: loadAverage(),
  };
}

/** "p50 1.2 / p95 3.4 / p99 5.6 ms" for logs. */
export const describe = (l: Latency) =>
  `p50 ${l.p50Ms.toFixed(1)} / p95 ${l.p95Ms.toFixed(1)} / p99 ${l.p99Ms.toFixed(1)} / max ${l.maxMs.toFixed(1)} ms` +
  ` (${l.queries} queries; other load ${l.otherCpuPct.toFixed(0)}% of a core, load average ${l.loadAverage})`;
