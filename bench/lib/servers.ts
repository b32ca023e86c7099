/**
 * Starting, measuring and stopping the servers under test, each in its own process:
 * the baseline (`bench/baseline-server.ts`) and Charla (`src/server/main.ts`), on PGlite
 * under a fresh `DATA_DIR` or on PostgreSQL in a fresh database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const CLOCK_TICKS = 100; // USER_HZ on Linux
/** Where each server's stdout/stderr goes: `<label>-<port>.log`. */
export const LOG_DIR = join(tmpdir(), "charla-bench-logs");

/** The signing key every server the bench starts shares (scenarios/hundredk.ts signs with it). */
export const JWT_SECRET = "charla-bench-secret-charla-bench-secret-0123456789";

export type ServerKind = "baseline" | "charla";

export interface ServerSpec {
  kind: ServerKind;
  /** Label in tables and charts, e.g. "baseline", "charla-pg", "charla-pglite". */
  label: string;
  port: number;
  /** Charla only: PostgreSQL URL; absent means embedded PGlite under a fresh DATA_DIR. */
  databaseUrl?: string;
  /** Directory holding `src/server/main.ts` (Charla only); default: this repository. */
  root?: string;
  /** Storage directory to use (and leave in place); default: a fresh temporary one. */
  dataDir?: string;
  /** Extra env for the server process. */
  env?: Record<string, string>;
  /** Directory for CPU profiles of chosen phases (taken through `bench/probe.ts`). */
  cpuProfDir?: string;
}

export interface MemSample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  gc: boolean;
}

export interface CpuSample {
  /** CPU seconds (user + system) the process has used so far. */
  seconds: number;
  at: number;
}

/** Every server still running, killed if the orchestrator exits early. */
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

export class ServerProcess {
  readonly spec: ServerSpec;
  readonly url: string;
  private child: ChildProcess | undefined;
  private dataDir: string | undefined;
  private ownsDataDir = false;
  private stderrTail = "";
  private starting: Promise<void> | undefined;

  constructor(spec: ServerSpec) {
    this.spec = spec;
    this.url = `http://127.0.0.1:${spec.port}`;
  }

  get pid(): number {
    if (!this.child?.pid) throw new Error(`${this.spec.label} is not running`);
    return this.child.pid;
  }

  /** Starts the process and waits for `/healthz`; the data directory survives restarts. */
  async start(): Promise<number> {
    const t0 = performance.now();
    if (this.dataDir === undefined) {
      this.ownsDataDir = this.spec.dataDir === undefined;
      this.dataDir = this.spec.dataDir ?? (await mkdtemp(join(tmpdir(), "charla-bench-")));
    }
    const { kind, port, databaseUrl } = this.spec;
    const entry =
      kind === "baseline" ? join(ROOT, "bench/baseline-server.ts") : "src/server/main.ts";
    const args = [
      "--expose-gc",
      "--conditions=source",
      "--import",
      "tsx",
      "--import",
      join(ROOT, "bench/probe.ts"),
    ];
    args.push(entry);
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      JWT_SECRET,
      RATE_LIMIT_DISABLED: "1",
      // Idle scenarios hold many sockets per seeded user.
      MAX_SOCKETS_PER_USER: "1000000",
      DATA_DIR: this.dataDir,
      ...this.spec.env,
    };
    delete env.DATABASE_URL;
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    const child = spawn(process.execPath, args, {
      cwd: kind === "charla" ? (this.spec.root ?? ROOT) : ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    this.child = child;
    live.add(child);
    child.once("exit", () => live.delete(child));
    // The server's own log (LOG_LEVEL=warn) is kept for diagnosis: errors under load are findings.
    mkdirSync(LOG_DIR, { recursive: true });
    const logFile = createWriteStream(join(LOG_DIR, `${this.spec.label}-${port}.log`), {
      flags: "a",
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        logFile.write(chunk);
        this.stderrTail = (this.stderrTail + chunk).slice(-4000);
      });
    }
    child.once("exit", () => logFile.end());
    const exited = new Promise<never>((_, reject) => {
      child.once("exit", (code, signal) =>
        reject(
          new Error(
            `${this.spec.label} exited (${code ?? signal}) while starting:\n${this.stderrTail}`,
          ),
        ),
      );
    });
    exited.catch(() => undefined);
    this.starting = Promise.race([this.waitHealthy(60_000), exited]);
    await this.starting;
    return performance.now() - t0;
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`${this.spec.label} not healthy after ${timeoutMs} ms:\n${this.stderrTail}`);
  }

  /** Sends `msg` to `bench/probe.ts` in the server and waits for its answer. */
  private probe<T>(msg: { cmd: string; file?: string }, timeoutMs = 60_000): Promise<T> {
    const child = this.child;
    if (!child?.connected) throw new Error(`${this.spec.label} has no IPC channel`);
    return new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`probe ${msg.cmd} timed out`)), timeoutMs);
      const onMessage = (raw: unknown): void => {
        const m = raw as { cmd?: string; error?: string };
        if (m.cmd !== msg.cmd) return;
        clearTimeout(timer);
        child.off("message", onMessage);
        if (m.error) reject(new Error(m.error));
        else resolvePromise(m as T);
      };
      child.on("message", onMessage);
      child.send(msg);
    });
  }

  /** Heap and RSS after a full GC, read inside the server by `bench/probe.ts`. */
  async memory(): Promise<MemSample> {
    const m = await this.probe<MemSample>({ cmd: "mem" });
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      gc: m.gc,
    };
  }

  /** Writes a heap snapshot of the server to `file` (slow: seconds per 100 MB of heap). */
  async heapSnapshot(file: string): Promise<void> {
    await this.probe({ cmd: "heap-snapshot", file }, 300_000);
  }

  /** Starts a CPU profile inside the server (no-op unless profiling was asked for). */
  async profileStart(): Promise<void> {
    if (this.spec.cpuProfDir) await this.probe({ cmd: "profile-start" });
  }

  /** Stops the CPU profile and writes it as `<cpuProfDir>/<name>.cpuprofile`. */
  async profileStop(name: string): Promise<string | undefined> {
    if (!this.spec.cpuProfDir) return undefined;
    const file = join(this.spec.cpuProfDir, `${name}.cpuprofile`);
    await this.probe({ cmd: "profile-stop", file });
    return file;
  }

  /** CPU seconds used so far, from /proc (works for any process). */
  cpu(): CpuSample {
    return { seconds: procCpuSeconds(this.pid), at: performance.now() };
  }

  /** RSS in bytes from /proc, without disturbing the process. */
  rss(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await gone;
    clearTimeout(timer);
  }

  /** SIGKILL, as a crash would: no drain, no goodbye to its sockets; resolves once gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGKILL");
    await gone;
  }

  /** Stops the process and removes its data directory. */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.dataDir && this.ownsDataDir) await rm(this.dataDir, { recursive: true, force: true });
    this.dataDir = undefined;
  }
}

export function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS;
}

/** CPU seconds used so far by every PostgreSQL server process on the machine. */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") {
        total += procCpuSeconds(Number(pid));
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** CPU seconds (all cores, busy time) the whole machine has used so far, from /proc/stat. */
export function machineCpuSeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
  const busy = v.slice(0, 8).reduce((a, b) => a + b, 0) - (v[3] ?? 0) - (v[4] ?? 0);
  return busy / CLOCK_TICKS;
}

/**
 * Who used the machine's CPU from now until `end`: the server (its seconds, given: a restart
 * replaces its process), the generators, PostgreSQL, and everything else. The box is shared,
 * so a figure means little without the last.
 */
export function cpuWindow(generators: { cpuSeconds(): number }) {
  const t0 = performance.now();
  const [m0, g0, p0] = [machineCpuSeconds(), generators.cpuSeconds(), postgresCpuSeconds()];
  return {
    end(serverSeconds: number) {
      const generatorSeconds = generators.cpuSeconds() - g0;
      const postgresSeconds = postgresCpuSeconds() - p0;
      return {
        wallSeconds: (performance.now() - t0) / 1000,
        generatorSeconds,
        postgresSeconds,
        otherSeconds: machineCpuSeconds() - m0 - serverSeconds - generatorSeconds - postgresSeconds,
      };
    },
  };
}

export function cpuPercent(a: CpuSample, b: CpuSample): number {
  const wall = (b.at - a.at) / 1000;
  return wall > 0 ? (100 * (b.seconds - a.seconds)) / wall : 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until `server` uses under `pct`% of a core over one second, or `maxMs`; seconds waited. */
export async function settleCpu(
  server: { cpu(): CpuSample },
  pct: number,
  maxMs: number,
): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < maxMs) {
    const a = server.cpu();
    await sleep(1000);
    if (cpuPercent(a, server.cpu()) < pct) break;
  }
  return (performance.now() - t0) / 1000;
}
