/**
 * Rate sweep: `clients` connections in rooms of `room`, one open-loop step per offered rate,
 * ascending, until the server saturates (p99 over the SLO, or anything unacknowledged,
 * refused or lost). The same load generator drives every target.
 */
import { GeneratorGroup, type StepResult } from "../lib/gen-control.ts";
import type { LoadCmd } from "../lib/protocol.ts";
import type { Options } from "../lib/options.ts";
import { cpuPercent, cpuWindow, settleCpu, sleep, type CpuSample } from "../lib/servers.ts";
import type { Seeds } from "../lib/seed.ts";
import { clientSpecs } from "../lib/setup.ts";
import { kindOf, withServer, type Target } from "../lib/targets.ts";

export interface SweepStep extends Omit<StepResult, "ackedSeqs"> {
  serverCpuPct: number;
  serverRssMB: number;
  /**
   * CPU (server + PostgreSQL) per acknowledged message, µs: the cost of a message, which a
   * busy shared machine disturbs far less than it disturbs the saturation point.
   */
  cpuUsPerMsg: number;
  /** CPU of the PostgreSQL server processes during the step (% of one core). */
  postgresCpuPct: number;
  /** CPU used by everything else on the machine during the step (% of one core). */
  otherCpuPct: number;
  /** The step was run twice: its first run failed (noise from the shared machine). */
  retried: boolean;
  sustained: boolean;
  /** The generator could not keep its own schedule: the result is generator-bound. */
  generatorBound: boolean;
}

export interface SweepResult {
  target: Target;
  /** Which of the run's rounds (1…), when the sweep was taken more than once. */
  round?: number;
  clients: number;
  room: number;
  startMs: number;
  setupSeconds: number;
  registerRate?: number;
  connectSeconds: number;
  connectFailed: number;
  connectErrors: Record<string, number>;
  steps: SweepStep[];
  /** Highest acknowledged msg/s over the sustained steps. */
  maxSustained: number;
  /** Median CPU µs per message over the sustained steps (all steps if none was). */
  cpuUsPerMsg: number;
  /** Highest acknowledged msg/s over every step. */
  peakAcked: number;
  saturatedAt: number | null;
  /**
   * Charla's search index after the last step (it is filled after the commit): chats still
   * behind when the traffic stopped, and how long until none was.
   */
  searchIndex?: SearchIndexCatchUp;
}

/** Chats behind when the traffic stopped, and seconds until none was (null: not in time). */
interface SearchIndexCatchUp {
  chatsBehind: number;
  caughtUpSeconds: number | null;
}

/** Reads charla_search_chats_behind from /metrics until it is 0 (or `limitMs` passes). */
async function searchIndexCatchUp(url: string, limitMs = 120_000): Promise<SearchIndexCatchUp> {
  const started = performance.now();
  const behind = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const match = /^charla_search_chats_behind (\d+)$/m.exec(text);
    return match ? Number(match[1]) : 0;
  };
  const chatsBehind = await behind();
  for (let now = chatsBehind; now > 0; now = await behind()) {
    if (performance.now() - started > limitMs) return { chatsBehind, caughtUpSeconds: null };
    await sleep(100);
  }
  return { chatsBehind, caughtUpSeconds: (performance.now() - started) / 1000 };
}

function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  return v.length === 0 ? 0 : v[Math.floor(v.length / 2)]!;
}

export function isSustained(s: StepResult, opts: Options): boolean {
  const errors = Object.values(s.errors).reduce((a, b) => a + b, 0);
  return (
    s.unacked === 0 &&
    errors === 0 &&
    s.lost === 0 &&
    s.skipped === 0 &&
    s.acked >= 0.97 * s.offered * opts.stepSeconds &&
    s.latency.p99 <= opts.sloP99Ms
  );
}

export function fmtStep(label: string, s: SweepStep): string {
  const err = Object.entries(s.errors)
    .map(([k, v]) => `${k}:${v}`)
    .join(" ");
  return (
    `  ${label.padEnd(14)} offered ${String(s.offered).padStart(6)}/s  acked ${s.ackedRate
      .toFixed(0)
      .padStart(6)}/s  deliv ${s.deliveredRate.toFixed(0).padStart(7)}/s  lost ${s.lost}` +
    `  unacked ${s.unacked}  p50 ${s.latency.p50}ms p99 ${s.latency.p99}ms max ${s.latency.max}ms` +
    `  cpu srv ${s.serverCpuPct.toFixed(0)}% gen ${s.generatorCpuPct.toFixed(0)}% pg ${s.postgresCpuPct.toFixed(0)}% other ${s.otherCpuPct.toFixed(0)}%` +
    `${s.generatorBound ? " GEN-BOUND" : ""}${err ? ` errors ${err}` : ""}${s.sustained ? "" : "  SATURATED"}`
  );
}

/** What a step measures of the server under test: its processes' CPU and RSS. */
export interface MeasuredServer {
  cpu(): CpuSample;
  rss(): number;
}

/** The load of every step but its rate and length (same for warm-up and steps). */
export type StepLoad = Omit<LoadCmd, "cmd" | "step" | "rate">;

/**
 * One open-loop step at `rate` msg/s for `opts.stepSeconds`, with the machine's accounting:
 * the server's CPU and RSS, PostgreSQL's CPU, the generator's, and everything else's.
 */
export async function measureStep(
  server: MeasuredServer,
  gens: GeneratorGroup,
  load: StepLoad,
  rate: number,
  retried: boolean,
  opts: Options,
): Promise<SweepStep> {
  const c0 = server.cpu();
  const window = cpuWindow(gens);
  const r = await gens.load({ ...load, durationMs: opts.stepSeconds * 1000, rate });
  const c1 = server.cpu();
  const used = window.end(c1.seconds - c0.seconds);
  const wall = used.wallSeconds;
  const db = used.postgresSeconds;
  const { ackedSeqs: _unused, ...rest } = r;
  return {
    ...rest,
    serverCpuPct: cpuPercent(c0, c1),
    serverRssMB: Math.round(server.rss() / 1048576),
    otherCpuPct: Math.max(0, (100 * used.otherSeconds) / wall),
    postgresCpuPct: Math.max(0, (100 * db) / wall),
    cpuUsPerMsg: r.acked > 0 ? (1e6 * (c1.seconds - c0.seconds + Math.max(0, db))) / r.acked : 0,
    retried,
    sustained: isSustained(r, opts),
    generatorBound: r.maxScheduleLagMs > 250,
  };
}

export async function runSweep(
  opts: Options,
  seeds: Seeds,
  target: Target,
  log: (s: string) => void,
): Promise<SweepResult> {
  return withServer(
    opts,
    seeds,
    target,
    "sweep",
    opts.clients,
    async (server, startMs, fixture) => {
      log(
        `sweep ${target}: ${opts.clients} clients in rooms of ${opts.room} (start ${startMs.toFixed(0)} ms)`,
      );
      const kind = kindOf(target);
      const specs = clientSpecs(kind, fixture, opts.clients);
      const gens = new GeneratorGroup({
        maxPerProcess: opts.maxPerProcess,
        localAddresses: opts.localAddresses,
        perAddress: opts.perAddress,
      });
      try {
        await server.profileStart();
        const conn = await gens.connect(server.url, specs, { reconnection: false, track: false });
        log(
          `  connected ${conn.connected}/${specs.length} in ${conn.seconds.toFixed(1)} s` +
            (conn.failed ? ` failed ${conn.failed} ${JSON.stringify(conn.errors)}` : ""),
        );
        // Refused connections are a finding, not a reason to stop: deliveries are expected only
        // at the sockets that did connect.
        const roomSizes = conn.perChat;
        if (conn.connected === 0) throw new Error(`sweep ${target}: no connection succeeded`);
        // Let the server finish what connecting set off (presence fan-out, catch-up) first.
        const settle = await settleCpu(server, 30, 20_000);
        log(`  settled in ${settle.toFixed(1)} s`);
        const connectProfile = await server.profileStop("connect");
        if (connectProfile) log(`  profile of connecting: ${connectProfile}`);
        const common = {
          durationMs: 1000,
          drainMs: opts.drainMs,
          bodyBytes: opts.bodyBytes,
          bodyWords: opts.bodyWords,
          roomSizes,
        };
        await gens.load({ ...common, rate: Math.min(200, opts.rates[0] ?? 200) }); // warm-up (JIT)
        const steps: SweepStep[] = [];
        let saturatedAt: number | null = null;
        const runStep = (rate: number, retried: boolean): Promise<SweepStep> =>
          measureStep(server, gens, common, rate, retried, opts);
        await server.profileStart();
        for (const rate of opts.rates) {
          let step = await runStep(rate, false);
          if (!step.sustained) {
            // One failed step on a shared 2-core box may be someone else's burst: confirm it.
            log(fmtStep(target, step) + "  (retrying once)");
            step = await runStep(rate, true);
          }
          steps.push(step);
          log(fmtStep(target, step));
          if (!step.sustained) {
            saturatedAt = rate;
            break;
          }
        }
        const stepsProfile = await server.profileStop("steps");
        if (stepsProfile) log(`  profile of the steps: ${stepsProfile}`);
        const sustained = steps.filter((s) => s.sustained);
        const indexes = kind === "charla" && !target.endsWith("-nosearch");
        const searchIndex = indexes ? await searchIndexCatchUp(server.url) : undefined;
        if (searchIndex) {
          log(
            `  search index: ${searchIndex.chatsBehind} chats behind after the last step, ` +
              (searchIndex.caughtUpSeconds === null
                ? "not caught up in 120 s"
                : `caught up in ${searchIndex.caughtUpSeconds.toFixed(1)} s`),
          );
        }
        return {
          target,
          clients: opts.clients,
          room: opts.room,
          startMs,
          setupSeconds: fixture.setupSeconds,
          ...(fixture.registerRate ? { registerRate: fixture.registerRate } : {}),
          connectSeconds: conn.seconds,
          connectFailed: conn.failed,
          connectErrors: conn.errors,
          steps,
          maxSustained: Math.max(0, ...sustained.map((s) => s.ackedRate)),
          cpuUsPerMsg: median((sustained.length ? sustained : steps).map((s) => s.cpuUsPerMsg)),
          peakAcked: Math.max(0, ...steps.map((s) => s.ackedRate)),
          saturatedAt,
          ...(searchIndex ? { searchIndex } : {}),
        };
      } finally {
        await gens.close();
      }
    },
  );
}
