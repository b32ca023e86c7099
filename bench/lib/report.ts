/** The run's outputs: a printed summary table, a markdown summary and an SVG chart. */
import type { IdleResult } from "../scenarios/idle.ts";
import type { StormResult } from "../scenarios/storm.ts";
import type { PeerResults } from "../scenarios/peer.ts";
import type { HistoryBenchResult } from "../scenarios/history.ts";
import type { SearchBenchResult } from "../scenarios/search.ts";
import type { SweepResult, SweepStep } from "../scenarios/sweep.ts";

export interface Ratios {
  /** Charla (PostgreSQL) sustained throughput / baseline's, best round of each; target ≥ 0.8. */
  persistedThroughput: number | null;
  /** The same ratio round by round (round i of Charla against round i of the baseline). */
  persistedThroughputByRound: number[];
  /** Charla p99 / baseline p99 at 3000 msg/s offered, lowest round of each; target ≤ 1.5. */
  p99At3k: number | null;
  /** Charla heap per idle connection, KB, at the most connections held; target ≤ 8. */
  idleHeapPerConnKB: number | null;
  idleConnections: number | null;
  /** Seconds until every client is back and caught up (worst mode); target ≤ 10, lost 0. */
  stormSeconds: number | null;
  stormMissing: number | null;
  /** Every client of every storm round came back and caught up before the time-out. */
  stormAllBack: boolean | null;
  /** Baseline CPU per message / Charla's (PostgreSQL, else PGlite): throughput on a quiet box. */
  cpuCostRatio: number | null;
  /** PostgreSQL's CPU per message (server + database) / PGlite's. */
  pgliteVsPgCpu: number | null;
  /** PGlite sustained throughput / PostgreSQL's; target ≥ 0.5. */
  pgliteVsPg: number | null;
}

export interface Results {
  startedAt: string;
  finishedAt?: string;
  command: string;
  machine: Record<string, string | number>;
  options: unknown;
  sweep: SweepResult[];
  idle: IdleResult[];
  storm: StormResult[];
  /** The peer scenario (Charla against Prosody/ejabberd), when it ran. */
  peer?: PeerResults;
  /** The search scenario (1,000,000 messages on PostgreSQL), when it ran. */
  search?: SearchBenchResult;
  /** The history scenario (a chat of 1,000,000 messages, on each backend), when it ran. */
  history?: HistoryBenchResult[];
  ratios?: Ratios;
  notes: string[];
}

const r2 = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(2);

/**
 * `base`'s CPU per message / `other`'s, at the highest offered rate both sustained (the cost
 * per message falls as the rate rises, so only equal rates compare).
 */
function cpuRatioAtCommonRate(
  base: SweepResult | undefined,
  other: SweepResult | undefined,
): number | null {
  if (!base || !other) return null;
  const ok = (s: SweepResult) =>
    new Map(s.steps.filter((x) => x.sustained).map((x) => [x.offered, x]));
  const b = ok(base);
  const c = ok(other);
  const common = [...b.keys()].filter((r) => c.has(r)).sort((x, y) => y - x)[0];
  if (common === undefined) return null;
  const cb = b.get(common)!.cpuUsPerMsg;
  const cc = c.get(common)!.cpuUsPerMsg;
  return cc > 0 ? cb / cc : null;
}

/** Each server's best round: the one that sustained the most (a slow spell only lowers it). */
function bestRound(res: Results, target: string): SweepResult | undefined {
  const rounds = res.sweep.filter((s) => s.target === target);
  return rounds.sort((a, b) => b.maxSustained - a.maxSustained)[0];
}

/** A server's lowest p99 at `offered` msg/s over its rounds. */
function lowestP99(res: Results, target: string, offered: number): number | undefined {
  const p99s = res.sweep
    .filter((s) => s.target === target)
    .flatMap((s) => s.steps.filter((x) => x.offered === offered && x.acked > 0))
    .map((x) => x.latency.p99);
  return p99s.length ? Math.min(...p99s) : undefined;
}

export function computeRatios(res: Results): Ratios {
  const base = bestRound(res, "baseline");
  const pg = bestRound(res, "charla-pg");
  const lite = bestRound(res, "charla-pglite");
  const charla = pg ?? lite;
  const b3 = lowestP99(res, "baseline", 3000);
  const c3 = charla && lowestP99(res, charla.target, 3000);
  const byRound = res.sweep
    .filter((s) => s.target === "charla-pg")
    .flatMap((c) => {
      const b = res.sweep.find((s) => s.target === "baseline" && s.round === c.round);
      return b && b.maxSustained > 0 ? [c.maxSustained / b.maxSustained] : [];
    });
  const idle = res.idle.find((i) => i.target.startsWith("charla"));
  const lastIdle = idle?.points.at(-1);
  const storms = res.storm.filter((s) => s.target.startsWith("charla")).flatMap((s) => s.rounds);
  return {
    persistedThroughput: base && pg ? pg.maxSustained / base.maxSustained : null,
    persistedThroughputByRound: byRound,
    p99At3k: b3 && c3 ? c3 / b3 : null,
    idleHeapPerConnKB: lastIdle ? lastIdle.heapPerConnKB : null,
    idleConnections: lastIdle ? lastIdle.connections : null,
    stormSeconds: storms.length ? Math.max(...storms.map((r) => r.lastSyncS)) : null,
    stormAllBack: storms.length ? storms.every((r) => r.synced === r.clients) : null,
    stormMissing: storms.length ? storms.reduce((s, r) => s + r.missing, 0) : null,
    pgliteVsPg: pg && lite && pg.maxSustained > 0 ? lite.maxSustained / pg.maxSustained : null,
    pgliteVsPgCpu: cpuRatioAtCommonRate(pg, lite),
    cpuCostRatio: cpuRatioAtCommonRate(base, charla),
  };
}

/** A sweep's name in tables and on the chart: the server, and its round when there were several. */
export function sweepLabel(s: SweepResult): string {
  return s.round === undefined ? s.target : `${s.target} #${s.round}`;
}

export function markdown(res: Results): string {
  const out: string[] = [];
  if (res.sweep.length) {
    out.push(
      "| server | offered msg/s | acked msg/s | delivered/s | lost | unacked | errors | p50 ms | p99 ms | p99.9 ms | max ms | server CPU | postgres CPU | gen CPU | other CPU | server+db CPU µs/msg | server RSS MB |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const s of res.sweep) {
      for (const x of s.steps) {
        const errors = Object.values(x.errors).reduce((a, b) => a + b, 0);
        out.push(
          `| ${sweepLabel(s)} | ${x.offered} | ${x.ackedRate.toFixed(0)} | ${x.deliveredRate.toFixed(0)} | ${x.lost} | ${x.unacked} | ${errors} | ${x.latency.p50} | ${x.latency.p99} | ${x.latency.p999} | ${x.latency.max} | ${x.serverCpuPct.toFixed(0)}% | ${x.postgresCpuPct.toFixed(0)}% | ${x.generatorCpuPct.toFixed(0)}% | ${x.otherCpuPct.toFixed(0)}% | ${x.cpuUsPerMsg.toFixed(0)} | ${x.serverRssMB} |${x.sustained ? "" : " saturated"}${x.generatorBound ? " (generator-bound)" : ""}`,
        );
      }
    }
    out.push(
      "",
      "| server | sustained msg/s | peak acked msg/s | saturated at | CPU µs/msg (median) | connect s (all clients) | connect failures | registrations/s (seed) |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const s of res.sweep) {
      out.push(
        `| ${sweepLabel(s)} | ${s.maxSustained.toFixed(0)} | ${s.peakAcked.toFixed(0)} | ${s.saturatedAt ?? "not reached"} | ${s.cpuUsPerMsg.toFixed(0)} | ${s.connectSeconds.toFixed(1)} | ${s.connectFailed}${s.connectFailed ? ` ${JSON.stringify(s.connectErrors)}` : ""} | ${s.registerRate?.toFixed(1) ?? "–"} |`,
      );
    }
    out.push("");
  }
  if (res.idle.length) {
    out.push(
      "| server | idle connections | heap MB | heap KB/conn | RSS MB | RSS KB/conn | connects/s | idle CPU |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const i of res.idle) {
      for (const p of i.points) {
        out.push(
          `| ${i.target} | ${p.connections} | ${p.heapMB.toFixed(1)} | ${p.heapPerConnKB.toFixed(2)} | ${p.rssMB.toFixed(1)} | ${p.rssPerConnKB.toFixed(2)} | ${p.connectRate.toFixed(0)} | ${p.serverCpuIdlePct.toFixed(1)}% |`,
        );
      }
    }
    out.push("");
  }
  if (res.storm.length) {
    out.push(
      "| server | mode | clients | back & caught up | last reconnect s | last caught up s | p50 s | p99 s | restart ms (stop + start) | acked during | via sync | missing (caught-up clients) |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const s of res.storm) {
      for (const r of s.rounds) {
        out.push(
          `| ${s.target} | ${r.mode} | ${r.clients} | ${r.synced} | ${r.lastReconnectS.toFixed(2)} | ${r.lastSyncS.toFixed(2)} | ${(r.sync.p50 / 1000).toFixed(2)} | ${(r.sync.p99 / 1000).toFixed(2)} | ${r.restartMs === undefined ? "–" : `${r.stopMs?.toFixed(0) ?? "?"} + ${r.restartMs.toFixed(0)}`} | ${r.ackedDuring} | ${r.syncedMessages} | ${r.missing} of ${r.checked} |`,
        );
      }
    }
    out.push("");
    // Results written before the storm reported its load have none.
    for (const s of res.storm) if (s.machineLoad) out.push(`- ${s.target}: ${s.machineLoad}`);
    out.push("");
  }
  if (res.ratios) {
    const q = res.ratios;
    const mark = (ok: boolean | null) => (ok === null ? "n/a" : ok ? "met" : "missed");
    out.push(
      "| target | measured | goal | |",
      "|---|---:|---:|---|",
      `| persisted throughput on PostgreSQL / ceiling (best round of each${q.persistedThroughputByRound.length > 1 ? `; round by round ${q.persistedThroughputByRound.map(r2).join(", ")}` : ""}) | ${r2(q.persistedThroughput)} | ≥ 0.8 | ${mark(q.persistedThroughput === null ? null : q.persistedThroughput >= 0.8)} |`,
      `| CPU per message, ceiling's / Charla's, at the highest rate both sustained | ${r2(q.cpuCostRatio)} | ≥ 0.8 | ${mark(q.cpuCostRatio === null ? null : q.cpuCostRatio >= 0.8)} |`,
      `| p99 at 3k msg/s / ceiling's (lowest round of each) | ${r2(q.p99At3k)} | ≤ 1.5 | ${mark(q.p99At3k === null ? null : q.p99At3k <= 1.5)} |`,
      `| heap per idle connection (KB, at ${q.idleConnections ?? "–"}) | ${r2(q.idleHeapPerConnKB)} | ≤ 8 at 100k | ${mark(q.idleHeapPerConnKB === null ? null : q.idleHeapPerConnKB <= 8 && (q.idleConnections ?? 0) >= 100_000)} |`,
      `| reconnect storm: all back and caught up (s), missing | ${q.stormAllBack === false ? "not all back: " : ""}${r2(q.stormSeconds)}, ${q.stormMissing ?? "n/a"} | ≤ 10, 0 | ${mark(q.stormSeconds === null ? null : q.stormAllBack === true && q.stormSeconds <= 10 && q.stormMissing === 0)} |`,
      `| CPU per message, PostgreSQL's / PGlite's, at the highest rate both sustained | ${r2(q.pgliteVsPgCpu)} | ≥ 0.5 | ${mark(q.pgliteVsPgCpu === null ? null : q.pgliteVsPgCpu >= 0.5)} |`,
      `| PGlite / PostgreSQL throughput | ${r2(q.pgliteVsPg)} | ≥ 0.5 | ${mark(q.pgliteVsPg === null ? null : q.pgliteVsPg >= 0.5)} |`,
      "",
    );
  }
  return out.join("\n");
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** One line of the chart: a sweep, or a peer scenario's run (which names itself). */
export interface ChartSeries {
  label?: string;
  target?: string;
  round?: number;
  room: number;
  maxSustained: number;
  steps: SweepStep[];
}

const seriesLabel = (s: ChartSeries): string =>
  s.label ?? (s.round === undefined ? String(s.target) : `${s.target} #${s.round}`);

/**
 * Throughput (acknowledged msg/s, linear x) against p99 send→receive latency (ms, log y),
 * one line per server; hollow points are saturated steps.
 */
export function svgChart(sweeps: ChartSeries[], title: string): string {
  const W = 760;
  const H = 440;
  const m = { l: 70, r: 20, t: 40, b: 60 };
  const pts = sweeps.flatMap((s) => s.steps);
  const xmax = Math.max(1000, ...pts.map((p) => p.ackedRate)) * 1.05;
  const ys = pts.map((p) => Math.max(0.1, p.latency.p99));
  const lo = Math.floor(Math.log10(Math.min(1, ...ys)));
  const hi = Math.ceil(Math.log10(Math.max(10, ...ys)));
  const X = (x: number) => m.l + (x / xmax) * (W - m.l - m.r);
  const Y = (y: number) =>
    H - m.b - ((Math.log10(Math.max(0.1, y)) - lo) / (hi - lo)) * (H - m.t - m.b);
  const o: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`,
  ];
  const step = xmax > 20000 ? 5000 : xmax > 8000 ? 2000 : 1000;
  for (let x = 0; x <= xmax; x += step) {
    o.push(
      `<line x1="${X(x)}" y1="${m.t}" x2="${X(x)}" y2="${H - m.b}" stroke="#eee"/>`,
      `<text x="${X(x)}" y="${H - m.b + 16}" text-anchor="middle">${x}</text>`,
    );
  }
  for (let e = lo; e <= hi; e++) {
    const v = 10 ** e;
    o.push(
      `<line x1="${m.l}" y1="${Y(v)}" x2="${W - m.r}" y2="${Y(v)}" stroke="#ddd"/>`,
      `<text x="${m.l - 6}" y="${Y(v) + 4}" text-anchor="end">${v >= 1 ? v : v.toFixed(1)}</text>`,
    );
  }
  o.push(
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
    `<text x="${(W + m.l) / 2}" y="${H - 18}" text-anchor="middle">acknowledged messages / s (each delivered to a room of ${sweeps[0]?.room ?? "?"})</text>`,
    `<text transform="translate(18 ${(H - m.b + m.t) / 2}) rotate(-90)" text-anchor="middle">p99 send→receive latency, ms (log)</text>`,
  );
  sweeps.forEach((s, i) => {
    const c = COLORS[i % COLORS.length]!;
    const line = s.steps.map((p) => `${X(p.ackedRate).toFixed(1)},${Y(p.latency.p99).toFixed(1)}`);
    o.push(`<polyline points="${line.join(" ")}" fill="none" stroke="${c}" stroke-width="2"/>`);
    for (const p of s.steps) {
      o.push(
        `<circle cx="${X(p.ackedRate).toFixed(1)}" cy="${Y(p.latency.p99).toFixed(1)}" r="4" ` +
          `fill="${p.sustained ? c : "white"}" stroke="${c}" stroke-width="2">` +
          `<title>${esc(seriesLabel(s))}: offered ${p.offered}/s, acked ${p.ackedRate.toFixed(0)}/s, p99 ${p.latency.p99} ms</title></circle>`,
      );
    }
    // Legend at the bottom right: fast and slow points rarely both sit there.
    const ly = H - m.b - 14 - (sweeps.length - 1 - i) * 18;
    const lx = W - m.r - 290;
    o.push(
      `<rect x="${lx - 6}" y="${ly - 10}" width="296" height="18" fill="white" opacity="0.8"/>`,
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${c}" stroke-width="2"/>`,
      `<text x="${lx + 30}" y="${ly + 4}">${esc(seriesLabel(s))} (sustained ${s.maxSustained.toFixed(0)} msg/s)</text>`,
    );
  });
  o.push(
    `<text x="${W - m.r}" y="${m.t - 6}" text-anchor="end" fill="#666">hollow: saturated step</text>`,
    "</svg>",
  );
  return o.join("\n");
}
