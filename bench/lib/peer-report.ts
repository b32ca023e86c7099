/**
 * The peer scenario's ratios and tables: Charla against each peer server, each ratio on
 * each server's best round (the box's speed drifts; rounds are taken in turns).
 */
import type { PeerResults, PeerRun } from "../scenarios/peer.ts";

export interface PeerRatios {
  /** Charla's target label in this run ("charla-pg" or "charla-pglite"). */
  charla: string;
  peer: string;
  /** Charla's sustained persisted msg/s / the peer's; target ≥ 1.5. */
  throughput: number | null;
  throughputByRound: number[];
  /** The moderate rate: the ladder's highest rate ≤ half the slower server's sustained rate. */
  moderateRate: number | null;
  /** Charla's p99 / the peer's at the moderate rate, lowest round of each; target ≤ 1. */
  p99AtModerate: number | null;
  charlaP99: number | null;
  peerP99: number | null;
  /** Charla's connect time for all clients / the peer's, fastest round of each; target ≤ 1. */
  connect: number | null;
  /** The peer's server(+PostgreSQL) CPU per message / Charla's, at the highest common rate. */
  cpuCost: number | null;
  /** Charla's RSS per idle connection / the peer's. */
  rssPerConn: number | null;
}

const best = (runs: PeerRun[], server: string): PeerRun | undefined =>
  runs.filter((r) => r.server === server).sort((a, b) => b.maxSustained - a.maxSustained)[0];

function lowestP99(runs: PeerRun[], server: string, offered: number): number | undefined {
  const p = runs
    .filter((r) => r.server === server)
    .flatMap((r) => r.steps.filter((s) => s.offered === offered && s.acked > 0))
    .map((s) => s.latency.p99);
  return p.length ? Math.min(...p) : undefined;
}

/** The ladder's highest rate at most half of `ceiling` (falls back to the lowest rate). */
export function moderateRate(rates: number[], ceiling: number): number | null {
  const below = rates.filter((r) => r <= ceiling / 2);
  return below.length ? Math.max(...below) : (rates[0] ?? null);
}

export function computePeerRatios(res: PeerResults, charla: string, peer: string): PeerRatios {
  const c = best(res.runs, charla);
  const p = best(res.runs, peer);
  const byRound = res.runs
    .filter((r) => r.server === charla)
    .flatMap((r) => {
      const o = res.runs.find((x) => x.server === peer && x.round === r.round);
      return o && o.maxSustained > 0 ? [r.maxSustained / o.maxSustained] : [];
    });
  const mod = c && p ? moderateRate(res.rates, Math.min(c.maxSustained, p.maxSustained)) : null;
  const cp99 = mod === null ? undefined : lowestP99(res.runs, charla, mod);
  const pp99 = mod === null ? undefined : lowestP99(res.runs, peer, mod);
  const fastest = (server: string) => {
    const t = res.runs.filter((r) => r.server === server && r.connectFailed === 0);
    return t.length ? Math.min(...t.map((r) => r.connectSeconds)) : undefined;
  };
  const cc = fastest(charla);
  const pc = fastest(peer);
  let cpuCost: number | null = null;
  if (c && p) {
    const ok = (r: PeerRun) =>
      new Map(r.steps.filter((s) => s.sustained).map((s) => [s.offered, s]));
    const cm = ok(c);
    const pm = ok(p);
    const common = [...cm.keys()].filter((k) => pm.has(k)).sort((a, b) => b - a)[0];
    if (common !== undefined) {
      const cu = cm.get(common)!.cpuUsPerMsg;
      cpuCost = cu > 0 ? pm.get(common)!.cpuUsPerMsg / cu : null;
    }
  }
  return {
    charla,
    peer,
    // A peer that sustained no step at all is beaten by any rate Charla sustained: ∞.
    throughput:
      c && p && (p.maxSustained > 0 || c.maxSustained > 0) ? c.maxSustained / p.maxSustained : null,
    throughputByRound: byRound,
    moderateRate: mod,
    p99AtModerate: cp99 !== undefined && pp99 !== undefined && pp99 > 0 ? cp99 / pp99 : null,
    charlaP99: cp99 ?? null,
    peerP99: pp99 ?? null,
    connect: cc !== undefined && pc !== undefined && pc > 0 ? cc / pc : null,
    cpuCost,
    rssPerConn: c && p && p.rssPerIdleConnKB > 0 ? c.rssPerIdleConnKB / p.rssPerIdleConnKB : null,
  };
}

const r2 = (x: number | null | undefined): string =>
  x === Infinity
    ? "∞"
    : x === null || x === undefined || !Number.isFinite(x)
      ? "n/a"
      : x.toFixed(2);
const label = (r: PeerRun) => (r.round === undefined ? r.server : `${r.server} #${r.round}`);

export function peerMarkdown(res: PeerResults, ratios: PeerRatios[]): string {
  const out: string[] = [
    `Peer scenario: ${res.clients} clients (one user each) in rooms of ${res.room}; machine load at start: ${res.machineLoad}.`,
    "",
    "| server | version | storage |",
    "|---|---|---|",
    ...res.servers.map((s) => `| ${s.server} | ${s.version} | ${s.storage} |`),
    "",
    `| server | connect s (${res.clients}) | failed | CPU connecting: server / pg / gen / other | RSS MB, 10 % / all connected | RSS KB / idle conn (last 90 %) | sustained msg/s | sustained deliveries/s | saturated at | server+db CPU µs/msg |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of res.runs) {
    out.push(
      `| ${label(r)} | ${r.connectSeconds.toFixed(1)} | ${r.connectFailed}${r.connectFailed ? ` ${JSON.stringify(r.connectErrors)}` : ""} | ${[r.connectServerCpuPct, r.connectPostgresCpuPct, r.connectGeneratorCpuPct, r.connectOtherCpuPct].map((x) => `${(x ?? 0).toFixed(0)}%`).join(" / ")} | ${r.rssEmptyMB.toFixed(1)} / ${r.rssIdleMB.toFixed(1)} | ${r.rssPerIdleConnKB.toFixed(1)} | ${r.maxSustained.toFixed(0)} | ${r.maxSustainedDeliveries.toFixed(0)} | ${r.saturatedAt ?? "not reached"} | ${r.cpuUsPerMsg.toFixed(0)} |`,
    );
  }
  const servers = [...new Set(res.runs.map((r) => r.server))];
  const rates = [...new Set(res.runs.flatMap((r) => r.steps.map((s) => s.offered)))].sort(
    (a, b) => a - b,
  );
  out.push(
    "",
    `| offered msg/s | ${servers.map((s) => `${s} p50 / p99 ms`).join(" | ")} |`,
    `|---:|${servers.map(() => "---:").join("|")}|`,
  );
  for (const rate of rates) {
    const cells = servers.map((server) => {
      const steps = res.runs
        .filter((r) => r.server === server)
        .flatMap((r) => r.steps.filter((s) => s.offered === rate && s.acked > 0));
      if (!steps.length) return "–";
      const s = steps.sort((a, b) => a.latency.p99 - b.latency.p99)[0]!;
      return `${s.latency.p50} / ${s.latency.p99}${s.sustained ? "" : " (saturated)"}`;
    });
    out.push(`| ${rate} | ${cells.join(" | ")} |`);
  }
  out.push(
    "",
    "| server | offered msg/s | acked msg/s | delivered/s | lost | unacked | errors | p50 ms | p99 ms | max ms | server CPU | postgres CPU | gen CPU | other CPU | server+db CPU µs/msg | server RSS MB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of res.runs) {
    for (const x of r.steps) {
      const errors = Object.entries(x.errors)
        .map(([k, v]) => `${k}:${v}`)
        .join(" ");
      out.push(
        `| ${label(r)} | ${x.offered} | ${x.ackedRate.toFixed(0)} | ${x.deliveredRate.toFixed(0)} | ${x.lost} | ${x.unacked} | ${errors || 0} | ${x.latency.p50} | ${x.latency.p99} | ${x.latency.max} | ${x.serverCpuPct.toFixed(0)}% | ${x.postgresCpuPct.toFixed(0)}% | ${x.generatorCpuPct.toFixed(0)}% | ${x.otherCpuPct.toFixed(0)}% | ${x.cpuUsPerMsg.toFixed(0)} | ${x.serverRssMB} |${x.sustained ? "" : " saturated"}${x.generatorBound ? " (generator-bound)" : ""}`,
      );
    }
  }
  const mark = (ok: boolean | null) => (ok === null ? "n/a" : ok ? "met" : "missed");
  for (const q of ratios) {
    out.push(
      "",
      `| target: ${q.charla} against ${q.peer} | measured | goal | |`,
      "|---|---:|---:|---|",
      `| persisted throughput, best round of each${q.throughputByRound.length > 1 ? ` (round by round ${q.throughputByRound.map(r2).join(", ")})` : ""} | ${r2(q.throughput)} | ≥ 1.5 | ${mark(q.throughput === null ? null : q.throughput >= 1.5)} |`,
      `| p99 at ${q.moderateRate ?? "–"} msg/s (moderate: ≤ half the slower one's sustained rate), lowest round of each: ${q.charlaP99 ?? "–"} / ${q.peerP99 ?? "–"} ms | ${r2(q.p99AtModerate)} | ≤ 1 | ${mark(q.p99AtModerate === null ? null : q.p99AtModerate <= 1)} |`,
      `| connect time for ${res.clients} clients, fastest round of each | ${r2(q.connect)} | ≤ 1 | ${mark(q.connect === null ? null : q.connect <= 1)} |`,
      `| CPU per message, ${q.peer}'s / Charla's, at the highest rate both sustained | ${r2(q.cpuCost)} | | |`,
      `| RSS per idle connection, Charla's / ${q.peer}'s | ${r2(q.rssPerConn)} | | |`,
    );
  }
  out.push("");
  return out.join("\n");
}
