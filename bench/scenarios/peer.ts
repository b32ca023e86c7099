/**
 * Peer comparison (opt-in, `--scenarios peer`): Charla against servers people self-host
 * instead, Prosody (and ejabberd when configured), on the same work through the same
 * generator: `peerClients` authenticated connections, one user each, in rooms of `room`
 * (Charla group chats / MUC rooms), then the open-loop rate ladder until each server
 * saturates. Measured per server: connect time of all clients, RSS per idle connection,
 * and per step the sweep's figures (acked = persisted: Charla acks after commit, the MUC
 * reflection carries the archive's stanza id), server + PostgreSQL CPU per message.
 */
import { GeneratorGroup } from "../lib/gen-control.ts";
import type { WireProtocol } from "../lib/connection.ts";
import type { Options } from "../lib/options.ts";
import type { PeerRatios } from "../lib/peer-report.ts";
import { ensureEjabberd, EjabberdServer } from "../lib/ejabberd.ts";
import { ensureProsody, ProsodyServer } from "../lib/prosody.ts";
import { xmppSpecs } from "../lib/xmpp-fixture.ts";
import { machineCpuSeconds, postgresCpuSeconds, settleCpu } from "../lib/servers.ts";
import type { Seeds } from "../lib/seed.ts";
import { clientSpecs, type ClientSpec } from "../lib/setup.ts";
import { withServer, type Target } from "../lib/targets.ts";
import { fmtStep, measureStep, type MeasuredServer, type SweepStep } from "./sweep.ts";

/** One server's round: what connecting cost and every step of the ladder. */
export interface PeerRun {
  server: string;
  round?: number;
  clients: number;
  room: number;
  startMs: number;
  /** Seconds to set the server's accounts and storage up (before the clock of connecting). */
  setupSeconds: number;
  connectSeconds: number;
  connectFailed: number;
  connectErrors: Record<string, number>;
  /** While the clients connected, % of one core: the server's, PostgreSQL's, the
   * generator's (with its start-up) and everything else's on the machine. */
  connectServerCpuPct: number;
  connectPostgresCpuPct: number;
  connectGeneratorCpuPct: number;
  connectOtherCpuPct: number;
  /** RSS with the first 10 % of the clients connected, and with all of them, idle. */
  rssEmptyMB: number;
  rssIdleMB: number;
  /** RSS added by the other 90 % of the clients / their number. */
  rssPerIdleConnKB: number;
  steps: SweepStep[];
  /** Highest acknowledged (persisted) msg/s over the sustained steps. */
  maxSustained: number;
  /** The same in deliveries per second (each message reaches every member of its room). */
  maxSustainedDeliveries: number;
  peakAcked: number;
  /** Median server + PostgreSQL CPU µs per message over the sustained steps. */
  cpuUsPerMsg: number;
  saturatedAt: number | null;
}

/** What each server was: its version, its storage, the exact config it ran with. */
export interface PeerServerInfo {
  server: string;
  version: string;
  storage: string;
  config?: string;
}

interface Driven {
  server: MeasuredServer;
  url: string;
  specs: ClientSpec[];
  protocol: WireProtocol;
  /** Clients to connect (and close) before the timed connect: XMPP rooms get created. */
  warmUp?: ClientSpec[];
  /**
   * Run before each RSS reading: a Node server's RSS holds garbage not yet collected (it
   * fell by 9 MB while 1330 clients connected, once), so Charla's is read after a full GC.
   */
  beforeRss?: () => Promise<void>;
}

function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  return v.length === 0 ? 0 : v[Math.floor(v.length / 2)]!;
}

const MB = 1048576;

/** Connects every client, measures idle memory, then climbs the rate ladder. */
async function drive(
  label: string,
  d: Driven,
  opts: Options,
  log: (s: string) => void,
): Promise<Omit<PeerRun, "server" | "startMs" | "setupSeconds">> {
  const groupOpts = {
    maxPerProcess: opts.maxPerProcess,
    localAddresses: opts.localAddresses,
    perAddress: opts.perAddress,
  };
  if (d.warmUp?.length) {
    const warm = new GeneratorGroup(groupOpts);
    try {
      const w = await warm.connect(d.url, d.warmUp, {
        reconnection: false,
        track: false,
        protocol: d.protocol,
      });
      if (w.failed) throw new Error(`${label}: room set-up failed ${JSON.stringify(w.errors)}`);
    } finally {
      await warm.close();
    }
  }
  const gens = new GeneratorGroup(groupOpts);
  try {
    await settleCpu(d.server, 10, 10_000);
    const c0 = d.server.cpu();
    const p0 = postgresCpuSeconds();
    const m0 = machineCpuSeconds();
    // In two batches, 10 % then the rest, each with 200 logins in flight (one wave more than
    // a single batch): memory per connection is the RSS added by the second batch, which
    // leaves out what a server allocated at start and may hand back later (Charla's RSS
    // fell while its first clients connected).
    const first = Math.max(1, Math.floor(d.specs.length / 10));
    const options = { reconnection: false, track: false, protocol: d.protocol };
    const a = await gens.connect(d.url, d.specs.slice(0, first), options);
    const cA = d.server.cpu();
    await settleCpu(d.server, 10, 10_000);
    await d.beforeRss?.();
    const rssEmpty = d.server.rss();
    const cB = d.server.cpu();
    const b = await gens.connect(d.url, d.specs.slice(first), options);
    const c1 = d.server.cpu();
    const conn = {
      connected: a.connected + b.connected,
      failed: a.failed + b.failed,
      errors: { ...a.errors },
      perChat: b.perChat,
      seconds: a.seconds + b.seconds,
    };
    for (const [k, v] of Object.entries(b.errors)) conn.errors[k] = (conn.errors[k] ?? 0) + v;
    // The pause between the batches is not connecting time.
    const wall = (c1.at - c0.at - (cB.at - cA.at)) / 1000;
    const pct = (seconds: number) => Math.max(0, (100 * seconds) / wall);
    const db = postgresCpuSeconds() - p0;
    const gen = gens.cpuSeconds();
    const serverSeconds = c1.seconds - c0.seconds - (cB.seconds - cA.seconds);
    const connectCpu = {
      connectServerCpuPct: pct(serverSeconds),
      connectPostgresCpuPct: pct(db),
      connectGeneratorCpuPct: pct(gen),
      connectOtherCpuPct: pct(machineCpuSeconds() - m0 - serverSeconds - db - gen),
    };
    log(
      `  ${label}: connected ${conn.connected}/${d.specs.length} in ${conn.seconds.toFixed(1)} s` +
        ` (CPU server ${connectCpu.connectServerCpuPct.toFixed(0)}% pg ${connectCpu.connectPostgresCpuPct.toFixed(0)}%` +
        ` gen ${connectCpu.connectGeneratorCpuPct.toFixed(0)}% other ${connectCpu.connectOtherCpuPct.toFixed(0)}%)` +
        (conn.failed ? ` failed ${conn.failed} ${JSON.stringify(conn.errors)}` : ""),
    );
    if (conn.connected === 0) throw new Error(`${label}: no connection succeeded`);
    await settleCpu(d.server, 10, 20_000);
    await d.beforeRss?.();
    const rssIdle = d.server.rss();
    const load = {
      durationMs: 1000,
      drainMs: opts.drainMs,
      bodyBytes: opts.bodyBytes,
      roomSizes: conn.perChat,
    };
    await gens.load({ ...load, rate: Math.min(200, opts.peerRates[0] ?? 200) }); // warm-up (JIT)
    const steps: SweepStep[] = [];
    let saturatedAt: number | null = null;
    for (const rate of opts.peerRates) {
      let step = await measureStep(d.server, gens, load, rate, false, opts);
      if (!step.sustained) {
        // One failed step on a shared 2-core box may be someone else's burst: confirm it.
        log(fmtStep(label, step) + "  (retrying once)");
        step = await measureStep(d.server, gens, load, rate, true, opts);
      }
      steps.push(step);
      log(fmtStep(label, step));
      if (!step.sustained) {
        saturatedAt = rate;
        break;
      }
    }
    const sustained = steps.filter((s) => s.sustained);
    const best = sustained.reduce<SweepStep | undefined>(
      (b, s) => (b === undefined || s.ackedRate > b.ackedRate ? s : b),
      undefined,
    );
    return {
      clients: d.specs.length,
      room: opts.room,
      connectSeconds: conn.seconds,
      connectFailed: conn.failed,
      connectErrors: conn.errors,
      ...connectCpu,
      rssEmptyMB: rssEmpty / MB,
      rssIdleMB: rssIdle / MB,
      rssPerIdleConnKB: (rssIdle - rssEmpty) / Math.max(1, b.connected) / 1024,
      steps,
      maxSustained: best?.ackedRate ?? 0,
      maxSustainedDeliveries: best ? best.deliveredRate : 0,
      peakAcked: Math.max(0, ...steps.map((s) => s.ackedRate)),
      cpuUsPerMsg: median((sustained.length ? sustained : steps).map((s) => s.cpuUsPerMsg)),
      saturatedAt,
    };
  } finally {
    await gens.close();
  }
}

/** Charla on the run's backend (PostgreSQL when reachable), from the seeded users. */
export async function runPeerCharla(
  opts: Options,
  seeds: Seeds,
  target: Target,
  log: (s: string) => void,
): Promise<PeerRun> {
  return withServer(opts, seeds, target, "peer", opts.peerClients, async (server, startMs, f) => {
    log(`peer ${target}: ${opts.peerClients} clients in rooms of ${opts.room}`);
    const specs = clientSpecs("charla", f, opts.peerClients);
    const run = await drive(
      target,
      {
        server,
        url: server.url,
        specs,
        protocol: "socket.io",
        beforeRss: async () => void (await server.memory()),
      },
      opts,
      log,
    );
    return { server: target, startMs, setupSeconds: f.setupSeconds, ...run };
  });
}

/** An XMPP server under test, as `prosody.ts` and `ejabberd.ts` run one. */
export interface XmppPeer extends MeasuredServer {
  readonly label: string;
  readonly port: number;
  readonly version: string;
  readonly storageUsed: string;
  readonly config: string;
  start(): Promise<{ startMs: number; setupSeconds: number }>;
  dispose(): Promise<void>;
}

/** A peer server (Prosody, ejabberd) from its template, on fresh storage, torn down after. */
export async function runPeerXmpp(
  name: string,
  opts: Options,
  log: (s: string) => void,
  info: (i: PeerServerInfo) => void,
): Promise<PeerRun> {
  const users = opts.peerClients;
  let server: XmppPeer;
  if (name === "prosody") {
    ensureProsody(opts.peerStorage, log);
    server = new ProsodyServer({
      users,
      room: opts.room,
      storage: opts.peerStorage,
      pgUrl: opts.pgUrl,
      log,
    });
  } else if (name === "ejabberd") {
    ensureEjabberd(log);
    server = new EjabberdServer({ users, pgUrl: opts.pgUrl, log });
  } else {
    throw new Error(`unknown peer server ${name}`);
  }
  try {
    const { startMs, setupSeconds } = await server.start();
    info({
      server: name,
      version: server.version,
      storage: server.storageUsed,
      config: server.config,
    });
    log(`peer ${name}: ${users} clients in rooms of ${opts.room} (start ${startMs.toFixed(0)} ms)`);
    const specs = xmppSpecs(server.port, users, opts.room, users);
    // The first member of each room creates it (persistent), as Charla's chats exist already.
    const warmUp = specs.filter((_, k) => k % opts.room === 0);
    const run = await drive(
      name,
      { server, url: `xmpp://127.0.0.1:${server.port}`, specs, protocol: "xmpp", warmUp },
      opts,
      log,
    );
    return { server: name, startMs, setupSeconds, ...run };
  } finally {
    await server.dispose();
  }
}
/** Everything the peer scenario measured in one run. */
export interface PeerResults {
  clients: number;
  room: number;
  rates: number[];
  servers: PeerServerInfo[];
  runs: PeerRun[];
  /** Load average and other processes' CPU when the scenario started (a shared box). */
  machineLoad: string;
  ratios?: PeerRatios[];
}
