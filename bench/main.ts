/**
 * `npm run bench`: Charla against the in-memory Socket.IO baseline, same generator, same run.
 * Prints a table; writes `<out>/<timestamp>.json`, `.md` and `.svg`. See docs/benchmarks.md.
 */
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseOptions } from "./lib/options.ts";
import { computePeerRatios, peerMarkdown } from "./lib/peer-report.ts";
import { pgReachable } from "./lib/pg.ts";
import { Seeds } from "./lib/seed.ts";
import { computeRatios, markdown, svgChart, type Results } from "./lib/report.ts";
import { machineCpuSeconds, sleep } from "./lib/servers.ts";
import { withoutSearchIndex, type Target } from "./lib/targets.ts";
import { hardFdLimit, runIdle } from "./scenarios/idle.ts";
import { runPeerCharla, runPeerXmpp, type PeerResults } from "./scenarios/peer.ts";
import { runStorm } from "./scenarios/storm.ts";
import { runHistoryBench } from "./scenarios/history.ts";
import { runSearchBench } from "./scenarios/search.ts";
import { runSweep } from "./scenarios/sweep.ts";
import { runHundredk, type HundredkResult } from "./scenarios/hundredk.ts";
import { runBigGroup, type BigGroupResult } from "./scenarios/biggroup.ts";
import { runWebhooks, webhooksMarkdown, type WebhooksResult } from "./scenarios/webhooks.ts";

const opts = parseOptions(process.argv.slice(2));
// Exit through process.exit so that every server and generator still running is ended.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));
const started = new Date();
const stamp = opts.stamp;
mkdirSync(opts.out, { recursive: true });
const log = (s: string): void => {
  console.log(`[${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)}s] ${s}`);
};

function sh(cmd: string): string {
  try {
    return execSync(cmd, { shell: "/bin/bash" }).toString().trim();
  } catch {
    return "n/a";
  }
}

const results: Results = {
  startedAt: started.toISOString(),
  command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
  machine: {
    nproc: sh("nproc"),
    cpu: os.cpus()[0]?.model ?? "n/a",
    memory: sh("free -h | awk '/^Mem:/ {print $2}'"),
    node: process.version,
    kernel: os.release(),
    ulimitHn: hardFdLimit(),
    postgres: "n/a",
    charlaCommit: sh(
      `git -C "${opts.charlaRoot}" log -1 --format=%h 2>/dev/null || cat "${opts.charlaRoot}/COMMIT" 2>/dev/null || echo n/a`,
    ),
  },
  options: opts,
  sweep: [],
  idle: [],
  storm: [],
  notes: ["The generator runs on the same 2-core machine as the server, in its own processes."],
};

const wants = (s: string) => opts.scenarios.includes(s);
const mainCharla: "charla-pg" | "charla-pglite" =
  opts.mainBackend === "pg" ? "charla-pg" : "charla-pglite";
const pgOk = opts.pgUrl ? await pgReachable(opts.pgUrl) : false;
if (pgOk) {
  results.machine.postgres = sh(
    `psql "${opts.pgUrl}" -Atc 'show server_version' 2>/dev/null || echo reachable`,
  );
}
if (opts.mainBackend === "pg" && !pgOk) throw new Error(`PostgreSQL unreachable at ${opts.pgUrl}`);
log(
  `charla backend: ${mainCharla}; PostgreSQL ${pgOk ? "reachable" : "unreachable"}; ` +
    `machine ${results.machine.nproc} cores, ${results.machine.memory}, node ${process.version}`,
);

const seeds = new Seeds(opts, log);
const targets = (withBaseline: boolean): Target[] => {
  const t: Target[] = [];
  if (withBaseline && opts.servers.includes("baseline")) t.push("baseline");
  if (opts.servers.includes("charla")) t.push(mainCharla);
  if (opts.servers.includes("charla-nosearch")) t.push(withoutSearchIndex(mainCharla));
  return t;
};

async function attempt(what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const msg = `${what} failed: ${e instanceof Error ? e.message : String(e)}`;
    console.error(msg);
    results.notes.push(msg.slice(0, 2000));
  }
}

if (wants("sweep")) {
  // In turns, so that a slow spell of the box falls on both servers' rounds alike.
  for (let round = 1; round <= opts.rounds; round++) {
    for (const t of targets(true)) {
      await attempt(`sweep ${t} (round ${round})`, async () => {
        const sweep = await runSweep(opts, seeds, t, log);
        results.sweep.push(opts.rounds > 1 ? { ...sweep, round } : sweep);
      });
    }
  }
}
if (wants("db") && opts.servers.includes("charla")) {
  const other: Target = mainCharla === "charla-pg" ? "charla-pglite" : "charla-pg";
  if (other === "charla-pg" && !pgOk) {
    results.notes.push(`db scenario skipped: no PostgreSQL at ${opts.pgUrl}`);
  } else {
    await attempt(
      `sweep ${other}`,
      async () => void results.sweep.push(await runSweep(opts, seeds, other, log)),
    );
  }
}
if (wants("idle")) {
  const idleTargets = targets(true);
  if (opts.servers.includes("baseline")) idleTargets.splice(1, 0, "baseline-lean");
  for (const t of idleTargets) {
    await attempt(
      `idle ${t}`,
      async () => void results.idle.push(await runIdle(opts, seeds, t, log)),
    );
  }
}
if (wants("storm")) {
  for (const t of targets(true)) {
    await attempt(
      `storm ${t}`,
      async () => void results.storm.push(await runStorm(opts, seeds, t, log)),
    );
  }
}

if (wants("search")) {
  if (!pgOk || !opts.pgUrl) results.notes.push(`search scenario skipped: no PostgreSQL`);
  else {
    await attempt("search", async () => {
      results.search = await runSearchBench(opts.pgUrl!, log, {
        messages: Number(process.env.BENCH_SEARCH_MESSAGES ?? 1_000_000),
      });
    });
  }
}

if (wants("history")) {
  const messages = Number(process.env.BENCH_HISTORY_MESSAGES ?? 1_000_000);
  if (!pgOk || !opts.pgUrl)
    results.notes.push(`history scenario on PostgreSQL skipped: no PostgreSQL`);
  for (const backend of pgOk && opts.pgUrl ? (["pg", "pglite"] as const) : (["pglite"] as const)) {
    await attempt(`history ${backend}`, async () => {
      (results.history ??= []).push(await runHistoryBench(backend, opts.pgUrl, log, { messages }));
    });
  }
}

if (wants("hundredk")) {
  if (!pgOk) results.notes.push(`hundredk scenario skipped: no PostgreSQL at ${opts.pgUrl}`);
  else {
    await attempt("hundredk", async () => {
      const m0 = machineCpuSeconds();
      await sleep(2000);
      const before = `load average ${sh("cut -d' ' -f1-3 /proc/loadavg")}, ${((100 * (machineCpuSeconds() - m0)) / 2).toFixed(0)}% of a core busy over 2 s before starting`;
      log(`hundredk: ${before}`);
      const r: HundredkResult = await runHundredk(opts, hardFdLimit(), () => before, log);
      (results as Results & { hundredk?: HundredkResult }).hundredk = r;
    });
  }
}

if (wants("biggroup")) {
  if (!pgOk) results.notes.push(`biggroup scenario skipped: no PostgreSQL at ${opts.pgUrl}`);
  else {
    await attempt("biggroup", async () => {
      const m0 = machineCpuSeconds();
      await sleep(2000);
      const before = `load average ${sh("cut -d' ' -f1-3 /proc/loadavg")}, ${((100 * (machineCpuSeconds() - m0)) / 2).toFixed(0)}% of a core busy over 2 s before starting`;
      log(`biggroup: ${before}`);
      const r: BigGroupResult = await runBigGroup(opts, hardFdLimit(), () => before, log);
      (results as Results & { biggroup?: BigGroupResult }).biggroup = r;
    });
  }
}

let webhooks: WebhooksResult | undefined;
if (wants("webhooks") && opts.servers.includes("charla")) {
  // PostgreSQL when it answers: the queue's FOR UPDATE SKIP LOCKED is for many nodes on it.
  const target: Target = pgOk ? "charla-pg" : "charla-pglite";
  await attempt(`webhooks ${target}`, async () => {
    const m0 = machineCpuSeconds();
    await sleep(2000);
    const before = `load average ${sh("cut -d' ' -f1-3 /proc/loadavg")}, ${((100 * (machineCpuSeconds() - m0)) / 2).toFixed(0)}% of a core busy over 2 s before starting`;
    log(`webhooks: ${before}`);
    webhooks = await runWebhooks(opts, seeds, target, before, log);
    (results as Results & { webhooks?: WebhooksResult }).webhooks = webhooks;
  });
}

if (wants("peer")) {
  // Charla on PostgreSQL when it answers, so that both servers persist to the same database.
  const charla: Target = pgOk ? "charla-pg" : "charla-pglite";
  const m0 = machineCpuSeconds();
  await sleep(2000);
  const loadavg = sh("cut -d' ' -f1-3 /proc/loadavg");
  const peer: PeerResults = {
    clients: opts.peerClients,
    room: opts.room,
    rates: opts.peerRates,
    servers: [
      {
        server: charla,
        version: `${results.machine.charlaCommit} (node ${process.version})`,
        storage:
          charla === "charla-pg"
            ? `PostgreSQL ${results.machine.postgres} (group commit; acked after commit)`
            : "PGlite (group commit; acked after commit)",
      },
    ],
    runs: [],
    machineLoad: `load average ${loadavg}, ${((100 * (machineCpuSeconds() - m0)) / 2).toFixed(0)}% of a core busy over 2 s before starting`,
  };
  const peerSeeds = new Seeds({ ...opts, clients: opts.peerClients }, log);
  const peers = opts.peerServers.filter((s) => s !== "charla");
  log(`peer: ${[charla, ...peers].join(", ")}; ${peer.machineLoad}`);
  // In turns, so that a slow spell of the box falls on every server's rounds alike.
  for (let round = 1; round <= opts.rounds; round++) {
    const tag = opts.rounds > 1 ? { round } : {};
    for (const server of opts.peerServers) {
      await attempt(`peer ${server} (round ${round})`, async () => {
        if (server === "charla") {
          peer.runs.push({ ...(await runPeerCharla(opts, peerSeeds, charla, log)), ...tag });
        } else {
          const run = await runPeerXmpp(server, opts, log, (info) => {
            if (!peer.servers.some((s) => s.server === info.server)) peer.servers.push(info);
          });
          peer.runs.push({ ...run, ...tag });
        }
      });
    }
  }
  peer.ratios = peers.map((p) => computePeerRatios(peer, charla, p));
  results.peer = peer;
}

results.ratios = computeRatios(results);
results.finishedAt = new Date().toISOString();
const base = join(opts.out, stamp);
writeFileSync(`${base}.json`, JSON.stringify(results, null, 2) + "\n");
const md =
  markdown(results) +
  (results.peer ? peerMarkdown(results.peer, results.peer.ratios ?? []) : "") +
  (webhooks ? webhooksMarkdown(webhooks) : "");
writeFileSync(
  `${base}.md`,
  `# Charla benchmark ${results.startedAt}\n\n\`${results.command}\`\n\n${md}`,
);
if (results.sweep.length) {
  writeFileSync(
    `${base}.svg`,
    svgChart(results.sweep, `Throughput vs p99: ${opts.clients} clients, rooms of ${opts.room}`),
  );
}
if (results.peer) {
  writeFileSync(
    `${base}-peer.svg`,
    svgChart(
      results.peer.runs.map((r) => ({
        ...r,
        label: r.round === undefined ? r.server : `${r.server} #${r.round}`,
      })),
      `Charla and its peers: ${results.peer.clients} clients, rooms of ${results.peer.room}, persisted`,
    ),
  );
}
console.log(`\n${md}`);
for (const n of results.notes) console.log(`note: ${n}`);
log(`wrote ${base}.json, .md${results.sweep.length ? ", .svg" : ""}`);
process.exit(0);
