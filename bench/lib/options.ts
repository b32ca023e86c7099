import { resolve } from "node:path";

/**
 * Command-line options of `npm run bench` (`--name value`; env `BENCH_*` as fallbacks).
 * Defaults keep the whole run bounded (a few minutes on 2 cores); `--full` selects the big
 * scenarios of the issue (10k-client storm, idle connections up to the fd limit).
 */
export interface Options {
  scenarios: string[];
  servers: string[];
  clients: number;
  room: number;
  rates: number[];
  /**
   * Sweeps of each server, taken in turns (baseline, Charla, baseline, Charla…): the box's
   * speed drifts by tens of per cent over minutes, so each ratio uses each server's best round.
   */
  rounds: number;
  stepSeconds: number;
  drainMs: number;
  bodyBytes: number;
  /** Bodies of words instead of one run of "x" (what the search index has to take apart). */
  bodyWords: boolean;
  /** A step is sustained when its p99 stays under this and nothing is lost or unacked. */
  sloP99Ms: number;
  idleCounts: number[];
  idleUsers: number;
  stormClients: number;
  stormUsers: number;
  stormRate: number;
  stormModes: string[];
  stormTimeoutS: number;
  /** Peer scenario: connections (one user each) and the servers run side by side. */
  peerClients: number;
  peerServers: string[];
  /** Peer scenario's offered msg/s, ascending: finer at the low end, where peers saturate. */
  peerRates: number[];
  /** Prosody's storage: "sql" (PostgreSQL via LuaDBI) or "internal" (its files). */
  peerStorage: "sql" | "internal";
  /** PostgreSQL server for Charla (a fresh database is created on it and dropped). */
  pgUrl: string | undefined;
  /** Main backend for Charla: "pg" when DATABASE_URL is set, else "pglite". */
  mainBackend: "pg" | "pglite";
  cpuProf: boolean;
  /** Idle scenario: write a heap snapshot of the server after each step into this directory. */
  heapSnapshots: string | undefined;
  /** Checkout whose `src/server/main.ts` is Charla (default: this repository). */
  charlaRoot: string;
  /** Rebuild the seeded users even when a cached seed exists (see lib/seed.ts). */
  freshSeed: boolean;
  /** First of the ports the servers under test listen on; 0: free ports from the kernel. */
  portBase: number;
  out: string;
  localAddresses: string[];
  perAddress: number;
  maxPerProcess: number;
  full: boolean;
  /** hundredk: connections (one user each, rooms of `room`), nodes (0: as the fd limit needs). */
  hkClients: number;
  hkNodes: number;
  hkRate: number;
  hkSeconds: number;
  /** hundredk: each node's DATABASE_POOL_SIZE (× nodes stays under max_connections). */
  hkPoolSize: number;
  hkPerGenerator: number;
  hkAddresses: string[];
  hkPerAddress: number;
  hkConcurrency: number;
  /** hundredk: longest wait for the killed node's clients to be back and caught up. */
  hkFailoverTimeoutS: number;
  /** biggroup: members of the one group (all online), nodes they are spread over, msg/s. */
  bgMembers: number;
  bgNodes: number;
  bgRate: number;
  /** This run's timestamp: names its result files. */
  stamp: string;
}

const HELP = `npm run bench -- [options]
  --scenarios sweep,db,idle,storm   which scenarios (default: all four)
  --servers baseline,charla         which servers (default: both)
                                    charla-nosearch: Charla with the message search index
                                    dropped (what the index costs the send path)
  --clients 1000 --room 10          sweep: connections and room size
  --rates 500,1000,...              sweep: offered msg/s, ascending; stops at saturation
  --rounds 2                        sweep: rounds of each server, in turns; ratios use the best
  --step-seconds 4 --drain-ms 4000  sweep: length of a step, longest wait for stragglers
  --body-bytes 100 --slo-p99-ms 1000
  --body-words                      bodies of words (varied, as people write) instead of "xxx…"
  --idle 1000,5000 --idle-users 100 idle: connection counts (clamped to ulimit -Hn)
  --storm-clients 2000 --storm-users 200 --storm-rate 100 --storm-modes drop,restart
  --scenarios peer                  opt-in: Charla against Prosody (and ejabberd), same work
  --scenarios search                opt-in: GET /api/search's SQL on 1,000,000 messages (PostgreSQL)
  --scenarios history               opt-in: history, sync and connect reads on a chat of 1,000,000
                                    messages and a user in 2,000 chats (PostgreSQL and PGlite)
  --scenarios hundredk              opt-in: 100,000 connections over several nodes on PostgreSQL +
                                    Redis, traffic in rooms of 10, then one node killed
  --hk-clients 100000 --hk-nodes 0  hundredk: connections; nodes (0: as many as ulimit -Hn needs)
  --hk-rate 1000 --hk-seconds 10    hundredk: msg/s while all are connected, and for how long
  --hk-pool-size 20 --hk-per-generator 16000 --hk-concurrency 600 --hk-failover-timeout-s 180
  --scenarios biggroup              opt-in: one group of 5,000 online over several nodes, against
                                    the in-memory server's same fan-out
  --bg-members 5000 --bg-nodes 3 --bg-rate 5   biggroup: members, nodes, msg/s to the group
  --scenarios webhooks              opt-in: each rate without, then with, an outgoing webhook on every
                                    message to a local receiver: throughput ratio, deliveries/s, lag
  --peer-clients 2000 --peer-servers charla,prosody,ejabberd --peer-storage sql|internal
  --peer-rates 100,200,...          peer: offered msg/s, ascending; each server stops at saturation
  --local-addresses 127.0.0.2,…     source addresses for the generators' connections (default:
  --hk-addresses 127.0.0.2,…        none, the kernel's choice: bind() per connection is costly)
  --pg-url postgres://root@127.0.0.1:5432/postgres   (default: DATABASE_URL or that)
  --cpu-prof                        write V8 CPU profiles of the servers under bench/results/
  --heap-snapshots DIR              idle: a heap snapshot of the server after each step (heap-diff.ts)
  --charla-root DIR                 run Charla from another checkout (before/after comparisons)
  --fresh-seed                      register Charla's users again instead of reusing the cached seed
  --full                            storm of 10k clients, idle up to the fd limit
  --out bench/results`;

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") {
      console.log(HELP);
      process.exit(0);
    }
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}\n${HELP}`);
    const [key, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) args.set(key, inline);
    else if (next !== undefined && !next.startsWith("--")) args.set(key, (i++, next));
    else args.set(key, "true");
  }
  return args;
}

export function parseOptions(argv: string[]): Options {
  const args = parseArgs(argv);
  const full = args.get("full") === "true" || process.env.BENCH_FULL === "1";
  const get = (k: string, d: string): string =>
    args.get(k) ?? process.env[`BENCH_${k.toUpperCase().replaceAll("-", "_")}`] ?? d;
  const num = (k: string, d: number): number => {
    const v = Number(get(k, String(d)));
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${k} must be a number`);
    return v;
  };
  const list = (k: string, d: string): string[] =>
    get(k, d)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const nums = (k: string, d: string): number[] => list(k, d).map(Number);
  const databaseUrl = process.env.DATABASE_URL;
  return {
    scenarios: list("scenarios", "sweep,db,idle,storm"),
    servers: list("servers", "baseline,charla"),
    clients: num("clients", 1000),
    room: num("room", 10),
    rates: nums(
      "rates",
      "500,1000,2000,3000,4000,5000,6000,7000,8000,9000,10000,11000,12000,13000,14000,15000",
    ),
    rounds: num("rounds", 2),
    stepSeconds: num("step-seconds", full ? 8 : 4),
    drainMs: num("drain-ms", 4000),
    bodyBytes: num("body-bytes", 100),
    bodyWords: get("body-words", "false") === "true" || get("body-words", "") === "1",
    sloP99Ms: num("slo-p99-ms", 1000),
    idleCounts: nums("idle", full ? "1000,5000,10000,19000,100000" : "1000,5000"),
    idleUsers: num("idle-users", 100),
    stormClients: num("storm-clients", full ? 10_000 : 2000),
    stormUsers: num("storm-users", full ? 1000 : 200),
    stormRate: num("storm-rate", 100),
    stormModes: list("storm-modes", "drop,restart"),
    stormTimeoutS: num("storm-timeout-s", 30),
    peerClients: num("peer-clients", 2000),
    peerServers: list("peer-servers", "charla,prosody,ejabberd"),
    peerRates: nums(
      "peer-rates",
      "100,200,300,500,750,1000,1500,2000,3000,4000,5000,6000,7000,8000,9000,10000",
    ),
    peerStorage: get("peer-storage", "sql") === "internal" ? "internal" : "sql",
    pgUrl: args.get("pg-url") ?? databaseUrl ?? "postgres://root@127.0.0.1:5432/postgres",
    mainBackend: databaseUrl ? "pg" : "pglite",
    cpuProf: get("cpu-prof", "false") === "true",
    heapSnapshots: args.get("heap-snapshots"),
    charlaRoot: resolve(get("charla-root", ".")),
    freshSeed: get("fresh-seed", "false") === "true" || process.env.BENCH_FRESH_SEED === "1",
    portBase: num("port-base", 3310),
    out: get("out", "bench/results"),
    // None by default: the kernel picks the source port in connect(), cheaply and per
    // destination. A source address makes every connection bind() first, and bind()'s search
    // for a free port cost 0.5 ms of the generator's CPU per connection at 10,000 clients and
    // 3 ms once a storm's closed connections sat in TIME_WAIT (docs/benchmarks.md, 2026-12-06).
    localAddresses: list("local-addresses", ""),
    perAddress: num("per-address", 25_000),
    maxPerProcess: num("max-per-process", 8000),
    full,
    hkClients: num("hk-clients", 100_000),
    hkNodes: num("hk-nodes", 0),
    hkRate: num("hk-rate", 1000),
    hkSeconds: num("hk-seconds", 10),
    hkPoolSize: num("hk-pool-size", 20),
    hkPerGenerator: num("hk-per-generator", 16_000),
    // None by default, as above: without bind() the kernel's ~28k ephemeral ports are per
    // (source, destination) pair, and no node holds more than ~20,000 connections.
    hkAddresses: list("hk-addresses", ""),
    hkPerAddress: num("hk-per-address", 8000),
    hkConcurrency: num("hk-concurrency", 600),
    hkFailoverTimeoutS: num("hk-failover-timeout-s", 180),
    bgMembers: num("bg-members", 5000),
    bgNodes: num("bg-nodes", 3),
    bgRate: num("bg-rate", 5),
    stamp: new Date().toISOString().replace(/[:]/g, "-").replace(/\..+/, "Z"),
  };
}
