/**
 * `--scenarios biggroup` (opt-in): one group of 5,000 members, all online, spread over several
 * Charla nodes on PostgreSQL + Redis; each message to it is committed once (one row, checked)
 * and delivered to every member's socket. Reported: p99 send→receive and the CPU of all nodes
 * per delivery, against the in-memory Socket.IO server doing the same fan-out (one process:
 * it cannot span nodes), same generator, same run.
 */
import { GeneratorGroup } from "../lib/gen-control.ts";
import type { Percentiles } from "../lib/hist.ts";
import type { Options } from "../lib/options.ts";
import { freePort } from "../lib/proc.ts";
import { ServerProcess, sleep } from "../lib/servers.ts";
import { clientSpecs, makeFixture } from "../lib/setup.ts";
import { runHundredk, type HundredkResult } from "./hundredk.ts";

export interface BigGroupBaseline {
  members: number;
  connectSeconds: number;
  offered: number;
  acked: number;
  unacked: number;
  expected: number;
  delivered: number;
  lost: number;
  latency: Percentiles;
  serverCpuSeconds: number;
  cpuPerDeliveryUs: number;
}

export interface BigGroupResult {
  charla: HundredkResult;
  baseline?: BigGroupBaseline;
}

async function runBaseline(opts: Options, log: (s: string) => void): Promise<BigGroupBaseline> {
  const members = opts.bgMembers;
  const server = new ServerProcess({ kind: "baseline", label: "baseline", port: await freePort() });
  const gens = new GeneratorGroup({
    maxPerProcess: opts.hkPerGenerator,
    localAddresses: opts.hkAddresses,
    perAddress: opts.hkPerAddress,
  });
  try {
    await server.start();
    const fixture = await makeFixture("baseline", server.url, members, members);
    const conn = await gens.connect(server.url, clientSpecs("baseline", fixture, members), {
      reconnection: false,
      track: false,
      concurrency: opts.hkConcurrency,
    });
    await sleep(2000);
    const c0 = server.cpu();
    const step = await gens.load({
      rate: opts.bgRate,
      durationMs: opts.hkSeconds * 1000,
      drainMs: opts.drainMs,
      bodyBytes: opts.bodyBytes,
      roomSizes: conn.perChat,
    });
    const c1 = server.cpu();
    const serverCpuSeconds = c1.seconds - c0.seconds;
    const r: BigGroupBaseline = {
      members: conn.connected,
      connectSeconds: conn.seconds,
      offered: step.offered,
      acked: step.acked,
      unacked: step.unacked,
      expected: step.expected,
      delivered: step.delivered,
      lost: step.lost,
      latency: step.latency,
      serverCpuSeconds,
      cpuPerDeliveryUs: (1e6 * serverCpuSeconds) / Math.max(1, step.delivered),
    };
    log(
      `biggroup baseline: ${r.members} members in one room; ${r.offered} msg/s: acked ${r.acked}, ` +
        `lost ${r.lost} of ${r.expected}, p50 ${r.latency.p50.toFixed(0)} ms p99 ` +
        `${r.latency.p99.toFixed(0)} ms, ${r.cpuPerDeliveryUs.toFixed(1)} µs CPU per delivery`,
    );
    return r;
  } finally {
    await gens.close();
    await server.dispose();
  }
}

export async function runBigGroup(
  opts: Options,
  fdLimit: number,
  machineLoad: () => string,
  log: (s: string) => void,
): Promise<BigGroupResult> {
  const charla = await runHundredk(
    { ...opts, hkClients: opts.bgMembers, hkNodes: opts.bgNodes, hkRate: opts.bgRate },
    fdLimit,
    machineLoad,
    log,
    { room: opts.bgMembers, failover: false, tag: "biggroup" },
  );
  const result: BigGroupResult = { charla };
  if (opts.servers.includes("baseline")) result.baseline = await runBaseline(opts, log);
  return result;
}
