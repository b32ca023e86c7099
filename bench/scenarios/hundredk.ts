/**
 * `--scenarios hundredk` (opt-in): 100,000 idle authenticated connections spread over as many
 * Charla nodes as the descriptor limit needs, on one PostgreSQL and one Redis. While all are
 * connected, messages flow among them in rooms of 10 whose members sit on different nodes
 * (p99 send→receive, nothing lost); then one node is killed (SIGKILL) and its clients
 * reconnect to the others and catch up with `sync` (time, nothing lost, every client checked).
 *
 * Users and chats are seeded in SQL and tokens signed with the bench's JWT_SECRET: 100,000
 * registrations through the API would take argon2 twenty minutes here, and the scenario
 * measures connections, not sign-up.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { readFileSync } from "node:fs";
import pg from "pg";
import { GeneratorGroup } from "../lib/gen-control.ts";
import type { Percentiles } from "../lib/hist.ts";
import type { Options } from "../lib/options.ts";
import { freePort } from "../lib/proc.ts";
import { JWT_SECRET, ServerProcess, sleep } from "../lib/servers.ts";
import type { ClientSpec } from "../lib/setup.ts";

const MB = 1048576;
/** Descriptors a node keeps for itself (database pool, Redis, logs, listening socket). */
const FD_MARGIN = 1500;

export interface HundredkNode {
  node: string;
  clients: number;
  emptyHeapMB: number;
  heapMB: number;
  rssMB: number;
  heapPerConnKB: number;
  rssPerConnKB: number;
}

export interface HundredkResult {
  clients: number;
  nodes: number;
  poolSize: number;
  maxConnections: number;
  connected: number;
  connectFailed: number;
  connectSeconds: number;
  perNode: HundredkNode[];
  load: {
    offered: number;
    seconds: number;
    acked: number;
    unacked: number;
    errors: Record<string, number>;
    expected: number;
    delivered: number;
    lost: number;
    latency: Percentiles;
    serverCpuPct: number;
    serverCpuSeconds: number;
    /** CPU of all nodes over the step per socket delivery, µs. */
    cpuPerDeliveryUs: number;
    /** Mean share of the step each node spent runnable but waiting for a core (%). */
    runQueueWaitPct: number;
    /** Rows in `messages` after the step: one per acknowledged send. */
    committed: number;
    generatorCpuPct: number;
  };
  failover?: {
    killed: string;
    /** The killed node's clients, and how many of them are back on the others and caught up. */
    clients: number;
    synced: number;
    /** Every client, and how many are connected and caught up at the end (some of the nodes
     * left may have dropped their own clients under the load of the failover). */
    allClients: number;
    allSynced: number;
    reconnected: number;
    lastReconnectS: number;
    lastSyncS: number;
    ackedDuring: number;
    syncedMessages: number;
    checked: number;
    missing: number;
    clientsMissing: number;
    /** Seconds the check waited for deliveries still in flight (until three checks agree). */
    settledS: number;
    syncErrors: Record<string, number>;
  };
  machineLoad: string;
}

async function seedSql(
  url: string,
  users: number,
  room: number,
): Promise<{ userIds: string[]; chatIds: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const chats = Math.ceil(users / room);
    await client.query("BEGIN");
    await client.query(
      `CREATE TEMP TABLE hk_u ON COMMIT DROP AS
         SELECT i, gen_random_uuid() AS id FROM generate_series(0, $1::int - 1) i`,
      [users],
    );
    await client.query(
      `CREATE TEMP TABLE hk_c ON COMMIT DROP AS
         SELECT j, gen_random_uuid() AS id FROM generate_series(0, $1::int - 1) j`,
      [chats],
    );
    // Nobody logs in with a password: tokens are signed below.
    await client.query(
      `INSERT INTO users (id, username, password_hash) SELECT id, 'hk_' || i, '!' FROM hk_u`,
    );
    await client.query(
      `INSERT INTO chats (id, type, name, created_by)
         SELECT c.id, 'group', 'hk ' || c.j, u.id FROM hk_c c JOIN hk_u u ON u.i = c.j * $1`,
      [room],
    );
    await client.query(
      `INSERT INTO chat_members (chat_id, user_id, role)
         SELECT c.id, u.id, CASE WHEN u.i % $1 = 0 THEN 'owner' ELSE 'member' END
         FROM hk_u u JOIN hk_c c ON c.j = u.i / $1`,
      [room],
    );
    const u = await client.query<{ id: string }>("SELECT id FROM hk_u ORDER BY i");
    const c = await client.query<{ id: string }>("SELECT id FROM hk_c ORDER BY j");
    await client.query("COMMIT");
    return { userIds: u.rows.map((r) => r.id), chatIds: c.rows.map((r) => r.id) };
  } finally {
    await client.end();
  }
}

/** What differs between the 100k scenario and the large group (scenarios/biggroup.ts). */
/** Nanoseconds the process has run and waited for a CPU (runnable, not running) so far. */
function schedstat(pid: number): { run: number; wait: number; at: number } {
  const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ").map(Number);
  return { run: run ?? 0, wait: wait ?? 0, at: performance.now() };
}

async function countMessages(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number(
      (await client.query<{ n: string }>("SELECT count(*) AS n FROM messages")).rows[0]!.n,
    );
  } finally {
    await client.end();
  }
}

export interface ClusterShape {
  /** Members per chat: 10 for hundredk, everyone for one large group. */
  room: number;
  /** Kill the last node after the load step and check its clients' catch-up. */
  failover: boolean;
  tag: string;
}

export async function runHundredk(
  opts: Options,
  fdLimit: number,
  machineLoad: () => string,
  log: (s: string) => void,
  shape: ClusterShape = { room: opts.room, failover: true, tag: "hundredk" },
): Promise<HundredkResult> {
  if (!opts.pgUrl) throw new Error("hundredk needs PostgreSQL (--pg-url)");
  const clients = opts.hkClients;
  const perNode = Math.max(1, fdLimit - FD_MARGIN);
  // With failover, the nodes left after one is killed must still hold everyone.
  const spare = shape.failover ? 1 : 0;
  const nodes = opts.hkNodes || Math.ceil(clients / perNode) + spare;
  if (nodes - spare < 1 || Math.ceil(clients / (nodes - spare)) > perNode) {
    throw new Error(
      `${clients} clients over ${nodes} nodes exceed ${perNode} per node` +
        (spare ? " once one is killed" : ""),
    );
  }
  const admin = new pg.Client({ connectionString: opts.pgUrl });
  await admin.connect();
  const dbName = `charla_bench_hk_${randomBytes(4).toString("hex")}`;
  const maxConnections = Number(
    (await admin.query<{ max_connections: string }>("SHOW max_connections")).rows[0]!
      .max_connections,
  );
  // Each node holds a pool; together they must leave PostgreSQL room for everyone else.
  const poolSize = opts.hkPoolSize;
  if (poolSize * nodes > maxConnections - 50) {
    await admin.end();
    throw new Error(
      `DATABASE_POOL_SIZE ${poolSize} × ${nodes} nodes exceeds max_connections ${maxConnections} less 50`,
    );
  }
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dbUrl = new URL(opts.pgUrl);
  dbUrl.pathname = `/${dbName}`;
  const redisPrefix = `hk${randomBytes(3).toString("hex")}`;
  const servers: ServerProcess[] = [];
  const groups: GeneratorGroup[] = [];
  try {
    for (let n = 0; n < nodes; n++) {
      servers.push(
        new ServerProcess({
          kind: "charla",
          label: `charla-hk-node${n + 1}`,
          root: opts.charlaRoot,
          port: await freePort(),
          databaseUrl: dbUrl.toString(),
          env: {
            NODE_ID: `hk-node${n + 1}`,
            REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
            REDIS_PREFIX: redisPrefix,
            DATABASE_POOL_SIZE: String(poolSize),
            TOKEN_TTL_SECONDS: String(86_400),
          },
        }),
      );
    }
    // The first node migrates the fresh database; the seed goes in before the others start.
    await servers[0]!.start();
    const t0 = performance.now();
    const { userIds, chatIds } = await seedSql(dbUrl.toString(), clients, shape.room);
    const secret = new TextEncoder().encode(JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const tokens = await Promise.all(
      userIds.map((id, i) =>
        new SignJWT({ name: `hk_${i}`, ver: 0 })
          .setJti(randomUUID())
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(id)
          .setIssuer("charla")
          .setIssuedAt(now)
          .setExpirationTime(now + 86_400)
          .sign(secret),
      ),
    );
    log(
      `${shape.tag}: ${clients} users in ${chatIds.length} chats of ${shape.room} seeded in SQL, ` +
        `tokens signed, ${((performance.now() - t0) / 1000).toFixed(1)} s; ${nodes} nodes, ` +
        `pool ${poolSize} each (max_connections ${maxConnections})`,
    );
    await Promise.all(servers.slice(1).map((s) => s.start()));
    await sleep(1000);
    const empty = await Promise.all(servers.map((s) => s.memory()));
    const urls = servers.map((s) => s.url);
    // Member k of a room on node k mod n: every room spans the nodes.
    const specs: ClientSpec[] = userIds.map((userId, i) => ({
      auth: { token: tokens[i]! },
      userId,
      chatId: chatIds[Math.floor(i / shape.room)]!,
      urls: urls.map((_, k) => urls[(i + k) % nodes]!),
    }));
    const gens = new GeneratorGroup({
      maxPerProcess: opts.hkPerGenerator,
      localAddresses: opts.hkAddresses,
      perAddress: opts.hkPerAddress,
    });
    groups.push(gens);
    const conn = await gens.connect(urls[0]!, specs, {
      reconnection: true,
      track: true,
      concurrency: opts.hkConcurrency,
    });
    log(
      `  ${conn.connected}/${clients} connected in ${conn.seconds.toFixed(1)} s ` +
        `(${(conn.connected / conn.seconds).toFixed(0)}/s)` +
        `${conn.failed ? `, failed ${conn.failed} ${JSON.stringify(conn.errors)}` : ""}`,
    );
    await sleep(3000);
    const mem = await Promise.all(servers.map((s) => s.memory()));
    const counts = urls.map((_, n) => specs.filter((_, i) => i % nodes === n).length);
    const perNodeResult: HundredkNode[] = servers.map((s, n) => ({
      node: s.spec.label,
      clients: counts[n]!,
      emptyHeapMB: empty[n]!.heapUsed / MB,
      heapMB: mem[n]!.heapUsed / MB,
      rssMB: mem[n]!.rss / MB,
      heapPerConnKB: (mem[n]!.heapUsed - empty[n]!.heapUsed) / counts[n]! / 1024,
      rssPerConnKB: (mem[n]!.rss - empty[n]!.rss) / counts[n]! / 1024,
    }));
    for (const p of perNodeResult) {
      log(
        `  ${p.node}: ${p.clients} sockets, heap ${p.heapMB.toFixed(0)} MB ` +
          `(${p.heapPerConnKB.toFixed(2)} KB/conn), rss ${p.rssMB.toFixed(0)} MB ` +
          `(${p.rssPerConnKB.toFixed(2)} KB/conn)`,
      );
    }
    const acked: Record<string, number[]> = {};
    const keep = (seqs: Record<string, number[]> | undefined) => {
      for (const [k, v] of Object.entries(seqs ?? {})) (acked[k] ??= []).push(...v);
    };
    const roomSizes = conn.perChat;
    const traffic = { rate: opts.hkRate, bodyBytes: opts.bodyBytes, roomSizes };
    const cpu0 = servers.map((s) => s.cpu());
    const sched0 = servers.map((s) => schedstat(s.pid));
    const step = await gens.load({
      ...traffic,
      durationMs: opts.hkSeconds * 1000,
      drainMs: opts.drainMs,
    });
    const cpu1 = servers.map((s) => s.cpu());
    // Time the nodes were ready to run but had no core: the box's other load, made visible.
    const waitPct =
      servers.reduce((sum, s, n) => {
        const b = schedstat(s.pid);
        return sum + (b.wait - sched0[n]!.wait) / 1e4 / (b.at - sched0[n]!.at);
      }, 0) / servers.length;
    keep(step.ackedSeqs);
    const serverCpuSeconds = cpu1.reduce((sum, c, n) => sum + c.seconds - cpu0[n]!.seconds, 0);
    // Committed once: one row per acknowledged send, however many sockets it reached.
    const committed = await countMessages(dbUrl.toString());
    const serverCpuPct = cpu1.reduce(
      (sum, c, n) => sum + (100 * (c.seconds - cpu0[n]!.seconds)) / ((c.at - cpu0[n]!.at) / 1000),
      0,
    );
    log(
      `  load ${step.offered} msg/s for ${step.seconds.toFixed(1)} s: acked ${step.acked}, ` +
        `unacked ${step.unacked}, lost ${step.lost} of ${step.expected}, committed ${committed}, ` +
        `p50 ${step.latency.p50.toFixed(0)} ms p99 ${step.latency.p99.toFixed(0)} ms; ` +
        `servers ${serverCpuPct.toFixed(0)} % CPU ` +
        `(${((1e6 * serverCpuSeconds) / Math.max(1, step.delivered)).toFixed(1)} µs per delivery; ` +
        `waiting for a core ${waitPct.toFixed(0)} % of the time), generators ${step.generatorCpuPct.toFixed(0)} %` +
        `${Object.keys(step.errors).length ? ` errors ${JSON.stringify(step.errors)}` : ""}`,
    );
    const result: HundredkResult = {
      clients,
      nodes,
      poolSize,
      maxConnections,
      connected: conn.connected,
      connectFailed: conn.failed,
      connectSeconds: conn.seconds,
      perNode: perNodeResult,
      load: {
        offered: step.offered,
        seconds: step.seconds,
        acked: step.acked,
        unacked: step.unacked,
        errors: step.errors,
        expected: step.expected,
        delivered: step.delivered,
        lost: step.lost,
        latency: step.latency,
        serverCpuPct,
        serverCpuSeconds,
        cpuPerDeliveryUs: (1e6 * serverCpuSeconds) / Math.max(1, step.delivered),
        committed,
        runQueueWaitPct: waitPct,
        generatorCpuPct: step.generatorCpuPct,
      },
      machineLoad: machineLoad(),
    };
    if (shape.failover && nodes > 1) {
      // Traffic throughout, from whichever clients are connected at each send.
      const during = gens.load({ ...traffic, durationMs: 0, drainMs: 5000, untilStopped: true });
      await sleep(1000);
      const victim = servers.at(-1)!;
      await gens.stormStart("wait", 1000, victim.url);
      await victim.kill();
      const res = await gens.stormWait(opts.hkFailoverTimeoutS * 1000);
      await sleep(1000);
      await gens.stop();
      const d = await during;
      keep(d.ackedSeqs);
      const v = await verifySettled(gens, acked);
      result.failover = {
        killed: victim.spec.label,
        clients: res.targeted,
        synced: res.targetedSynced,
        allClients: res.clients,
        allSynced: res.synced,
        reconnected: res.reconnected,
        lastReconnectS: res.lastReconnectS,
        lastSyncS: res.lastSyncS,
        ackedDuring: d.acked,
        syncedMessages: res.syncedMessages,
        checked: v.checked,
        missing: v.missing,
        clientsMissing: v.clientsMissing,
        settledS: v.settledS,
        syncErrors: res.syncErrors,
      };
      const f = result.failover;
      log(
        `  killed ${f.killed}: ${f.synced}/${f.clients} of its clients back on the others and ` +
          `caught up (${f.allSynced}/${f.allClients} of all clients); last reconnect ${f.lastReconnectS.toFixed(2)} s, last sync ` +
          `${f.lastSyncS.toFixed(2)} s; ${f.ackedDuring} acked meanwhile, ${f.syncedMessages} ` +
          `via sync; missing ${f.missing} of ${f.checked} in ${f.clientsMissing} clients, ` +
          `checked until ${f.settledS.toFixed(1)} s after the traffic stopped` +
          `${Object.keys(f.syncErrors).length ? ` sync errors ${JSON.stringify(f.syncErrors)}` : ""}`,
      );
    }
    return result;
  } finally {
    for (const g of groups) await g.close();
    await Promise.all(servers.map((s) => s.dispose()));
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/**
 * What the caught-up clients miss of the acknowledged messages. On a loaded box deliveries
 * can still be on their way seconds after the traffic stops (p99 of several seconds), so
 * the check is repeated until three in a row find no fewer missing, or a minute has passed:
 * what is missing then is lost, not late.
 */
async function verifySettled(
  gens: GeneratorGroup,
  acked: Record<string, number[]>,
): Promise<Awaited<ReturnType<GeneratorGroup["verify"]>> & { settledS: number }> {
  const t0 = performance.now();
  let v = await gens.verify(acked);
  for (let still = 0; v.missing > 0 && still < 3 && performance.now() - t0 < 60_000;) {
    await sleep(2000);
    const next = await gens.verify(acked);
    still = next.missing < v.missing ? 0 : still + 1;
    v = next;
  }
  return { ...v, settledS: (performance.now() - t0) / 1000 };
}
