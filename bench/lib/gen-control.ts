/**
 * The orchestrator's side of the generator processes: forks them (so that the generator's
 * CPU is never the server's), splits clients and offered rate between them, merges results.
 */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { WireProtocol } from "./connection.ts";
import { merge, percentiles, type Percentiles } from "./hist.ts";
import type {
  ConnectResult,
  GeneratorCmd,
  LoadCmd,
  LoadResult,
  Reply,
  StormResult,
  VerifyResult,
} from "./protocol.ts";
import { ROOT, procCpuSeconds } from "./servers.ts";
import type { ClientSpec } from "./setup.ts";

class Generator {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Reply) => void>();
  clients = 0;

  constructor() {
    this.child = fork(join(ROOT, "bench/lib/generator.ts"), [], {
      cwd: ROOT,
      execArgv: ["--conditions=source", "--import", "tsx", "--max-old-space-size=8192"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (raw) => {
      const reply = raw as Reply;
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
    this.child.on("exit", (code) => {
      for (const w of this.waiting.values()) {
        w({ id: 0, ok: false, error: `generator exited (${code})` });
      }
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  call<T>(cmd: GeneratorCmd): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, (r) => (r.ok ? resolve(r.result as T) : reject(new Error(r.error))));
      this.child.send({ id, ...cmd });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const gone = new Promise<void>((r) => this.child.once("exit", () => r()));
    await this.call({ cmd: "close" }).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await gone;
    clearTimeout(timer);
  }
}

export interface StepResult {
  offered: number;
  seconds: number;
  sent: number;
  skipped: number;
  acked: number;
  /** Acknowledged messages per second over the sending window. */
  ackedRate: number;
  errors: Record<string, number>;
  unacked: number;
  expected: number;
  delivered: number;
  lost: number;
  deliveredRate: number;
  latency: Percentiles;
  ackLatency: Percentiles;
  maxScheduleLagMs: number;
  generatorCpuPct: number;
  ackedSeqs?: Record<string, number[]>;
}

export interface GroupOptions {
  /** Most connections per generator process (each process has the same fd limit). */
  maxPerProcess: number;
  localAddresses: string[];
  perAddress: number;
  /** Where in `localAddresses` this group's first process starts (groups side by side). */
  addressOffset?: number;
}

export class GeneratorGroup {
  private readonly gens: Generator[] = [];
  private step = 0;
  private readonly opts: GroupOptions;

  constructor(opts: GroupOptions) {
    this.opts = opts;
  }

  get pids(): number[] {
    return this.gens.map((g) => g.pid);
  }

  /** CPU seconds of all generator processes, from /proc. */
  cpuSeconds(): number {
    return this.gens.reduce((s, g) => s + procCpuSeconds(g.pid), 0);
  }

  async connect(
    url: string,
    specs: ClientSpec[],
    options: {
      reconnection: boolean;
      track: boolean;
      concurrency?: number;
      protocol?: WireProtocol;
    },
  ): Promise<ConnectResult> {
    const n = Math.max(1, Math.ceil(specs.length / this.opts.maxPerProcess));
    while (this.gens.length < n) this.gens.push(new Generator());
    const per = Math.ceil(specs.length / n);
    const results = await Promise.all(
      this.gens.map((g, k) => {
        const slice = specs.slice(k * per, (k + 1) * per);
        // Cumulative: a group may connect in several batches (the peer scenario does).
        const before = g.clients;
        g.clients += slice.length;
        // Source addresses, when given: each process starts on its own one.
        const addrs = this.opts.localAddresses;
        const shift = addrs.length ? (this.opts.addressOffset ?? 0) + (k % addrs.length) : 0;
        return g.call<ConnectResult>({
          cmd: "connect",
          ...(options.protocol ? { protocol: options.protocol } : {}),
          url,
          specs: slice,
          localAddresses: [
            ...addrs.slice(shift % (addrs.length || 1)),
            ...addrs.slice(0, shift % (addrs.length || 1)),
          ],
          perAddress: this.opts.perAddress,
          firstIndex: before,
          concurrency: Math.ceil((options.concurrency ?? 200) / n),
          reconnection: options.reconnection,
          track: options.track,
        });
      }),
    );
    const errors: Record<string, number> = {};
    const perChat: Record<string, number> = {};
    for (const r of results) {
      for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
      for (const [k, v] of Object.entries(r.perChat)) perChat[k] = (perChat[k] ?? 0) + v;
    }
    return {
      connected: results.reduce((s, r) => s + r.connected, 0),
      perChat,
      failed: results.reduce((s, r) => s + r.failed, 0),
      errors,
      seconds: Math.max(...results.map((r) => r.seconds)),
    };
  }

  /** One open-loop step at `rate` msg/s over all generators, split by client count. */
  async load(
    opts: Omit<LoadCmd, "cmd" | "step" | "rate"> & { rate: number },
    onStarted?: () => void,
  ): Promise<StepResult> {
    const step = ++this.step;
    const total = this.gens.reduce((s, g) => s + g.clients, 0);
    const running = this.gens.map((g) =>
      g.call<LoadResult>({ ...opts, cmd: "load", step, rate: (opts.rate * g.clients) / total }),
    );
    onStarted?.();
    const results = await Promise.all(running);
    const sum = (f: (r: LoadResult) => number) => results.reduce((s, r) => s + f(r), 0);
    const errors: Record<string, number> = {};
    const ackedSeqs: Record<string, number[]> = {};
    for (const r of results) {
      for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
      for (const [k, v] of Object.entries(r.ackedSeqs ?? {})) (ackedSeqs[k] ??= []).push(...v);
    }
    const seconds = Math.max(...results.map((r) => r.sendSeconds));
    const acked = sum((r) => r.acked);
    const expected = sum((r) => r.expected);
    const delivered = sum((r) => r.delivered);
    return {
      offered: opts.rate,
      seconds,
      sent: sum((r) => r.sent),
      skipped: sum((r) => r.skipped),
      acked,
      ackedRate: acked / seconds,
      errors,
      unacked: sum((r) => r.unacked),
      expected,
      delivered,
      lost: Math.max(0, expected - delivered),
      deliveredRate: delivered / seconds,
      latency: percentiles(merge(results.map((r) => r.latency))),
      ackLatency: percentiles(merge(results.map((r) => r.ackLatency))),
      maxScheduleLagMs: Math.max(...results.map((r) => r.maxScheduleLagMs)),
      generatorCpuPct: (100 * sum((r) => r.cpuSeconds)) / seconds,
      ...(results[0]?.ackedSeqs ? { ackedSeqs } : {}),
    };
  }

  stop(): Promise<unknown> {
    return Promise.all(this.gens.map((g) => g.call({ cmd: "stop" })));
  }

  stormStart(mode: "drop" | "wait", syncLimit: number, onlyUrl?: string): Promise<unknown> {
    const only = onlyUrl === undefined ? {} : { onlyUrl };
    return Promise.all(
      this.gens.map((g) => g.call({ cmd: "storm-start", mode, syncLimit, ...only })),
    );
  }

  async stormWait(timeoutMs: number): Promise<StormResult & { syncPercentiles: Percentiles }> {
    const rs = await Promise.all(
      this.gens.map((g) => g.call<StormResult>({ cmd: "storm-wait", timeoutMs })),
    );
    const sumByKey = (pick: (r: StormResult) => Record<string, number>) => {
      const total: Record<string, number> = {};
      for (const r of rs)
        for (const [k, v] of Object.entries(pick(r))) total[k] = (total[k] ?? 0) + v;
      return total;
    };
    return {
      clients: rs.reduce((s, r) => s + r.clients, 0),
      reconnected: rs.reduce((s, r) => s + r.reconnected, 0),
      synced: rs.reduce((s, r) => s + r.synced, 0),
      targeted: rs.reduce((s, r) => s + r.targeted, 0),
      targetedSynced: rs.reduce((s, r) => s + r.targetedSynced, 0),
      lastReconnectS: Math.max(...rs.map((r) => r.lastReconnectS)),
      lastSyncS: Math.max(...rs.map((r) => r.lastSyncS)),
      syncTimes: "",
      syncErrors: sumByKey((r) => r.syncErrors),
      reconnectErrors: sumByKey((r) => r.reconnectErrors),
      attemptsToReconnect: sumByKey((r) => r.attemptsToReconnect),
      syncedMessages: rs.reduce((s, r) => s + r.syncedMessages, 0),
      syncPercentiles: percentiles(merge(rs.map((r) => r.syncTimes))),
    };
  }

  async verify(ackedSeqs: Record<string, number[]>): Promise<VerifyResult> {
    const rs = await Promise.all(
      this.gens.map((g) => g.call<VerifyResult>({ cmd: "verify", ackedSeqs })),
    );
    return {
      clients: rs.reduce((s, r) => s + r.clients, 0),
      checked: rs.reduce((s, r) => s + r.checked, 0),
      missing: rs.reduce((s, r) => s + r.missing, 0),
      clientsMissing: rs.reduce((s, r) => s + r.clientsMissing, 0),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.gens.map((g) => g.close()));
    this.gens.length = 0;
  }
}
