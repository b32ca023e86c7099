/**
 * Idle connections: authenticated sockets that only hold their connection, added in steps;
 * after each step the server's heap (after a full GC) and RSS, per connection over the
 * server's own footprint before the first connection. Counts past one source address's
 * ephemeral ports are spread over several loopback addresses (127.0.0.x); counts past the
 * per-process descriptor limit (`ulimit -Hn`) cannot be held by one server process and are
 * clamped, with the clamp recorded.
 */
import { execSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { GeneratorGroup } from "../lib/gen-control.ts";
import type { Options } from "../lib/options.ts";
import { sleep, type MemSample } from "../lib/servers.ts";
import type { Seeds } from "../lib/seed.ts";
import { clientSpecs } from "../lib/setup.ts";
import { kindOf, withServer, type Target } from "../lib/targets.ts";

export interface IdlePoint {
  connections: number;
  connectSeconds: number;
  connectRate: number;
  failed: number;
  heapMB: number;
  rssMB: number;
  heapPerConnKB: number;
  rssPerConnKB: number;
  serverCpuIdlePct: number;
}

export interface IdleResult {
  target: Target;
  users: number;
  requested: number[];
  /** The most connections one server process may hold here (descriptor limit less margin). */
  fdCeiling: number;
  empty: { heapMB: number; rssMB: number };
  points: IdlePoint[];
}

const MB = 1048576;

export function hardFdLimit(): number {
  try {
    return Number(execSync("ulimit -Hn", { shell: "/bin/bash" }).toString().trim()) || 1024;
  } catch {
    return 1024;
  }
}

export async function runIdle(
  opts: Options,
  seeds: Seeds,
  target: Target,
  log: (s: string) => void,
): Promise<IdleResult> {
  const fdCeiling = hardFdLimit() - 300;
  const counts = [...new Set(opts.idleCounts.map((c) => Math.min(c, fdCeiling)))].sort(
    (a, b) => a - b,
  );
  return withServer(
    opts,
    seeds,
    target,
    "idle",
    opts.idleUsers,
    async (server, _startMs, fixture) => {
      const kind = kindOf(target);
      const gens = new GeneratorGroup({
        maxPerProcess: opts.maxPerProcess,
        localAddresses: opts.localAddresses,
        perAddress: opts.perAddress,
      });
      const points: IdlePoint[] = [];
      // One generator group per step keeps each process's share under its own fd limit.
      const groups: GeneratorGroup[] = [gens];
      try {
        await sleep(1000);
        const empty: MemSample = await server.memory();
        if (opts.heapSnapshots) {
          mkdirSync(opts.heapSnapshots, { recursive: true });
          await server.heapSnapshot(
            join(opts.heapSnapshots, `${opts.stamp}-${target}-0.heapsnapshot`),
          );
        }
        log(
          `idle ${target}: empty heap ${(empty.heapUsed / MB).toFixed(1)} MB rss ${(empty.rss / MB).toFixed(1)} MB` +
            (counts.length < opts.idleCounts.length || counts.at(-1)! < Math.max(...opts.idleCounts)
              ? ` (counts clamped to ${fdCeiling}: ulimit -Hn ${fdCeiling + 300})`
              : ""),
        );
        const allSpecs = clientSpecs(kind, fixture, counts.at(-1) ?? 0);
        let held = 0;
        for (const count of counts) {
          const group =
            held === 0
              ? gens
              : new GeneratorGroup({
                  maxPerProcess: opts.maxPerProcess,
                  localAddresses: opts.localAddresses,
                  perAddress: opts.perAddress,
                });
          if (group !== gens) groups.push(group);
          const conn = await group.connect(server.url, allSpecs.slice(held, count), {
            reconnection: false,
            track: false,
            concurrency: 400,
          });
          held += conn.connected;
          await sleep(2000);
          const c0 = server.cpu();
          await sleep(2000);
          const c1 = server.cpu();
          const mem = await server.memory();
          if (opts.heapSnapshots) {
            const file = join(opts.heapSnapshots, `${opts.stamp}-${target}-${held}.heapsnapshot`);
            await server.heapSnapshot(file);
            log(`  heap snapshot: ${file}`);
          }
          const point: IdlePoint = {
            connections: held,
            connectSeconds: conn.seconds,
            connectRate: conn.connected / conn.seconds,
            failed: conn.failed,
            heapMB: mem.heapUsed / MB,
            rssMB: mem.rss / MB,
            heapPerConnKB: (mem.heapUsed - empty.heapUsed) / held / 1024,
            rssPerConnKB: (mem.rss - empty.rss) / held / 1024,
            serverCpuIdlePct: (100 * (c1.seconds - c0.seconds)) / ((c1.at - c0.at) / 1000),
          };
          points.push(point);
          log(
            `  ${String(held).padStart(6)} conns: heap ${point.heapMB.toFixed(1)} MB ` +
              `(${point.heapPerConnKB.toFixed(2)} KB/conn) rss ${point.rssMB.toFixed(1)} MB ` +
              `(${point.rssPerConnKB.toFixed(2)} KB/conn), connect ${point.connectRate.toFixed(0)}/s` +
              `${conn.failed ? ` failed ${conn.failed} ${JSON.stringify(conn.errors)}` : ""}, idle cpu ${point.serverCpuIdlePct.toFixed(1)}%`,
          );
          if (conn.failed > 0) break;
        }
        return {
          target,
          users: opts.idleUsers,
          requested: opts.idleCounts,
          fdCeiling,
          empty: { heapMB: empty.heapUsed / MB, rssMB: empty.rss / MB },
          points,
        };
      } finally {
        for (const g of groups) await g.close();
      }
    },
  );
}
