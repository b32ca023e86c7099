/**
 * Faults: a node SIGKILLed while clients send, Redis stopped and started again, PostgreSQL
 * restarted. No acknowledged message is ever lost, nodes keep serving their own clients, and
 * everything converges once the service is back. The services are always left running.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { test, type TestContext } from "node:test";
import { promisify } from "node:util";
import { createClient } from "redis";
import {
  connectSocket,
  createChat,
  emitWithAck,
  eventually,
  http,
  received,
  registerUser,
  type TestSocket,
} from "../support/clients.ts";
import { postgresUrl, redisUrl, skipLoudly } from "../support/server.ts";
import { clusterEnv, spawnNode, startNodes, until } from "./support.ts";

const execFileAsync = promisify(execFile);

interface Ack {
  ok: boolean;
  message?: { id: string; chat_id: string; change_seq: number; client_msg_id: string };
  error?: { code: string };
}

/** Ids of the message:send events a socket received for a chat, with their change_seq. */
function seen(socket: TestSocket, chatId: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const e of received(socket)) {
    if (e.event === "message:send" && e.payload.chat_id === chatId) {
      map.set(e.payload.id, e.payload.change_seq);
    }
  }
  return map;
}

/**
 * What a client does after a reconnect: `sync` from the highest change_seq below which it
 * has seen everything. Asserts the answer repeats nothing the client already had and names
 * each message once; returns every message id the client now has.
 */
async function catchUp(socket: TestSocket, chatId: string, had: Map<string, number>) {
  const changeSeqs = new Set(had.values());
  let cursor = 0;
  while (changeSeqs.has(cursor + 1)) cursor++;
  const result = await emitWithAck(socket, "sync", {
    chats: [{ chat_id: chatId, after_change_seq: cursor }],
    limit: 1000,
  });
  assert.equal(result.ok, true);
  const chat = result.chats.find((c: any) => c.chat_id === chatId);
  const ids: string[] = chat.messages.map((m: any) => m.id);
  assert.equal(new Set(ids).size, ids.length, "sync names each message once");
  for (const m of chat.messages) assert.ok(m.change_seq > cursor, "sync repeats nothing seen");
  const order = chat.messages.map((m: any) => m.change_seq);
  assert.deepEqual(
    order,
    [...order].sort((a: number, b: number) => a - b),
    "in change order",
  );
  return new Set([...had.keys(), ...ids]);
}

test("SIGKILL a node while clients send: no acknowledged message is lost", async (t) => {
  const postgres = postgresUrl();
  const redis = redisUrl();
  if (!postgres || !redis) return skipLoudly(t, "cluster tests need PostgreSQL and Redis");
  const env = await clusterEnv(t, postgres, redis);
  const [survivor] = await startNodes(t, env, 1);
  const victim = await spawnNode(t, env);
  const [sender, reader] = await Promise.all([
    registerUser(survivor!.url),
    registerUser(survivor!.url),
  ]);
  const chat = await createChat(survivor!.url, sender, "group", [reader], "stream");

  const readerHere = await connectSocket(t, survivor!.url, reader.token);
  const readerThere = await connectSocket(t, victim.url, reader.token);
  const sendingThere = await connectSocket(t, victim.url, sender.token);

  // A counted stream of sends, a few in flight at once, each with its own client_msg_id.
  const acked = new Map<string, string>(); // client_msg_id → message id
  const unacked: string[] = [];
  let next = 0;
  let killed: Promise<void> | undefined;
  const inFlight = async () => {
    while (sendingThere.connected || next === 0) {
      const clientMsgId = `kill-${next++}`;
      let ack: Ack | undefined;
      try {
        ack = await emitWithAck(
          sendingThere,
          "message:send",
          { chat_id: chat.id, body: `message ${clientMsgId}`, client_msg_id: clientMsgId },
          2000,
        );
      } catch {
        // no acknowledgement: the node died with it
      }
      if (ack?.ok) acked.set(clientMsgId, ack.message!.id);
      else unacked.push(clientMsgId);
      if (acked.size >= 40) killed ??= victim.kill();
    }
  };
  await Promise.all([inFlight(), inFlight(), inFlight(), inFlight()]);
  await killed;
  t.diagnostic(`before the kill: ${acked.size} acknowledged, ${unacked.length} not`);
  assert.ok(acked.size >= 40, "40 acknowledged before the kill");

  // The sender reconnects elsewhere and retries what was never acknowledged.
  const sendingHere = await connectSocket(t, survivor!.url, sender.token);
  for (const clientMsgId of unacked) {
    const ack: Ack = await emitWithAck(sendingHere, "message:send", {
      chat_id: chat.id,
      body: `message ${clientMsgId}`,
      client_msg_id: clientMsgId,
    });
    assert.equal(ack.ok, true);
    acked.set(clientMsgId, ack.message!.id);
  }

  // Stored: every acknowledged message, exactly one row per client_msg_id.
  const stored = await survivor!.app.store.messages.changesSince(chat.id, 0, 10_000);
  const byClientId = new Map<string, string[]>();
  for (const m of stored.messages) {
    byClientId.set(m.client_msg_id!, [...(byClientId.get(m.client_msg_id!) ?? []), m.id]);
  }
  for (const [clientMsgId, id] of acked) {
    assert.deepEqual(byClientId.get(clientMsgId), [id], `${clientMsgId} stored once`);
  }
  assert.equal(stored.messages.length, acked.size);

  // Delivered: the reader on the survivor and the reader that was on the dead node (now
  // reconnected to the survivor) each have every acknowledged message after catch-up.
  const everything = new Set(acked.values());
  assert.deepEqual(await catchUp(readerHere, chat.id, seen(readerHere, chat.id)), everything);
  const readerBack = await connectSocket(t, survivor!.url, reader.token);
  assert.deepEqual(await catchUp(readerBack, chat.id, seen(readerThere, chat.id)), everything);
});

// ---------------------------------------------------------------- Redis and PostgreSQL restarts

/** The local Redis the outage test stops and starts (TEST_REDIS_URL's port, usually 6379). */
function redisPort(): string {
  return new URL(redisUrl() ?? "redis://127.0.0.1:6379").port || "6379";
}

function redisPing(): boolean {
  try {
    return execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", redisPort(), "ping"], {
      stdio: ["ignore", "pipe", "ignore"],
    }).includes("PONG");
  } catch {
    return false;
  }
}

function redisStartArgs(): string[] {
  return [
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    redisPort(),
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
  ];
}

/** Starts Redis as ../shared/services.md says, unless it already answers. */
async function ensureRedis(): Promise<void> {
  if (redisPing()) return;
  execFileSync("redis-server", redisStartArgs());
  await until(redisPing, "Redis is back", 10_000, 100);
}

/**
 * Stops Redis, with a watchdog outside this process that starts it again after `seconds`
 * even if this test process dies or hangs: other suites share this Redis.
 */
function stopRedis(seconds: number): void {
  const start = ["redis-server", ...redisStartArgs()]
    .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
    .join(" ");
  const watchdog = spawn(
    "sh",
    // Double fork: the watchdog outlives this process and its process group.
    [
      "-c",
      `(sleep ${seconds}; redis-cli -p ${redisPort()} ping >/dev/null 2>&1 || ${start}) ` +
        ">/dev/null 2>&1 &",
    ],
    { detached: true, stdio: "ignore" },
  );
  watchdog.unref();
  try {
    execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", redisPort(), "shutdown", "nosave"], {
      stdio: "ignore",
    });
  } catch {
    // the connection closes as Redis exits
  }
}

/** Whether this machine's services can be stopped and started by the tests. */
function localService(url: string): boolean {
  return ["127.0.0.1", "localhost"].includes(new URL(url).hostname);
}

async function readyz(url: string) {
  return http<{ checks: Record<string, string> }>(url, "GET", "/readyz");
}

test("Redis down: nodes keep serving their own clients and converge when it returns", async (t) => {
  const postgres = postgresUrl();
  const redis = redisUrl();
  if (!postgres || !redis) return skipLoudly(t, "cluster tests need PostgreSQL and Redis");
  if (!localService(redis) || !existsSync("/usr/bin/redis-server")) {
    return skipLoudly(t, "the Redis outage test needs a local Redis (127.0.0.1)");
  }
  t.after(ensureRedis);
  const env = await clusterEnv(t, postgres, redis);
  // Presence to everyone (v1): the probe below checks that every node lists every user.
  const [here] = await startNodes(t, env, 1, { presenceScope: "everyone" });
  const there = await spawnNode(t, env, { PRESENCE_SCOPE: "everyone" });
  const [alice, bob, carol, dave, erin] = await Promise.all(
    [1, 2, 3, 4, 5].map(() => registerUser(here!.url)),
  );
  const chat = await createChat(here!.url, alice!, "group", [bob!, carol!], "outage");
  const a = await connectSocket(t, here!.url, alice!.token);
  const b = await connectSocket(t, here!.url, bob!.token);
  const c = await connectSocket(t, there.url, carol!.token);
  // Cross-node traffic before the outage (the adapter's stream readers have a position).
  const warm = await emitWithAck(c, "message:send", { chat_id: chat.id, body: "before" });
  await until(() => seen(a, chat.id).has(warm.message.id), "seen(a, chat.id).has(warm.message.id)");

  let duringA: any;
  let duringC: any;
  const outageStarted = Date.now();
  // CLUSTER_TEST_REDIS_OUTAGE=30 reproduces the contract's 30 s outage (default: 5 s).
  const outage = Number(process.env.CLUSTER_TEST_REDIS_OUTAGE) || 5;
  stopRedis(outage + 30);
  try {
    await eventually(() => assert.equal(redisPing(), false), 5000, 50);
    // /readyz says so; the log says so, loudly.
    for (const url of [here!.url, there.url]) {
      await eventually(async () => {
        const ready = await readyz(url);
        assert.equal(ready.status, 503);
        assert.equal(ready.body.checks.redis, "down");
        assert.equal(ready.body.checks.database, "up");
      });
    }
    await until(
      () => there.logs.some((l) => l.includes("REDIS UNREACHABLE")),
      "there.logs.some((l) => l.includes('REDIS UNREACHABLE'))",
    );

    // Each node still serves its own clients: sends are stored, acknowledged, delivered locally.
    duringA = await emitWithAck(a, "message:send", { chat_id: chat.id, body: "during, here" });
    assert.equal(duringA.ok, true);
    await until(
      () => seen(b, chat.id).has(duringA.message.id),
      "seen(b, chat.id).has(duringA.message.id)",
    );
    duringC = await emitWithAck(c, "message:send", { chat_id: chat.id, body: "during, there" });
    assert.equal(duringC.ok, true);
    await until(
      () => seen(c, chat.id).has(duringC.message.id),
      "seen(c, chat.id).has(duringC.message.id)",
    );
    // A new socket is served too, with the users this node knows.
    const d = await connectSocket(t, there.url, dave!.token);
    const list = await eventually(() => {
      const found = received(d).find((e) => e.event === "users:list");
      assert.ok(found, "no users:list");
      return found.payload.users.map((u: any) => u.user_id) as string[];
    });
    assert.ok(list.includes(carol!.user.id) && list.includes(dave!.user.id), "local users listed");

    // Longer than the presence expiry, so every node's heartbeat lapses.
    const minimum = outageStarted + outage * 1000;
    await until(() => Date.now() > minimum, "the outage is over", outage * 1000 + 5000, 100);
  } finally {
    await ensureRedis();
  }
  t.diagnostic(`Redis was down for ${((Date.now() - outageStarted) / 1000).toFixed(1)} s`);

  for (const url of [here!.url, there.url]) {
    await eventually(async () => assert.equal((await readyz(url)).status, 200), 15_000, 100);
  }
  // What each node delivered only locally reaches the other node's sockets.
  await until(() => seen(c, chat.id).has(duringA.message.id), "the other node got it", 10_000);
  await until(() => seen(a, chat.id).has(duringC.message.id), "this node got it", 10_000);
  // Presence converges: every connected user listed once, on every node.
  const expected = [alice, bob, carol, dave].map((u) => u!.user.id).sort();
  for (const url of [here!.url, there.url]) {
    await eventually(
      async () => {
        const probe = await connectSocket(t, url, erin!.token);
        try {
          const found = await eventually(() => {
            const list = received(probe).find((e) => e.event === "users:list");
            assert.ok(list, "no users:list");
            return list.payload.users.map((u: any) => u.user_id) as string[];
          });
          assert.equal(new Set(found).size, found.length, "each user once");
          assert.deepEqual(
            found.filter((id) => id !== erin!.user.id).sort(),
            expected,
            "users:list converged",
          );
        } finally {
          probe.disconnect();
        }
      },
      15_000,
      200,
    );
  }
  // And live cross-node delivery works again.
  const after = await emitWithAck(a, "message:send", { chat_id: chat.id, body: "after" });
  await until(
    () => seen(c, chat.id).has(after.message.id),
    "seen(c, chat.id).has(after.message.id)",
  );
});

function postgresCluster(): string | undefined {
  if (!existsSync("/usr/bin/pg_ctlcluster") || !existsSync("/etc/postgresql")) return undefined;
  return readdirSync("/etc/postgresql")[0];
}

function postgresReady(): boolean {
  try {
    execFileSync("pg_isready", ["-h", "127.0.0.1", "-q"]);
    return true;
  } catch {
    return false;
  }
}

async function ensurePostgres(t: TestContext, version: string): Promise<void> {
  if (postgresReady()) return;
  try {
    execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"]);
  } catch (error) {
    t.diagnostic(`pg_ctlcluster start: ${(error as Error).message}`);
  }
  await eventually(() => assert.ok(postgresReady(), "PostgreSQL did not come back"), 30_000, 200);
}

test("PostgreSQL restarted: sends fail with UNAVAILABLE, then the pool recovers", async (t) => {
  const postgres = postgresUrl();
  const redis = redisUrl();
  if (!postgres || !redis) return skipLoudly(t, "cluster tests need PostgreSQL and Redis");
  const version = postgresCluster();
  if (!localService(postgres) || !version) {
    return skipLoudly(t, "the PostgreSQL restart test needs a local PostgreSQL (pg_ctlcluster)");
  }
  t.after(() => ensurePostgres(t, version));
  const env = await clusterEnv(t, postgres, redis);
  const [n0, n1] = await startNodes(t, env, 2);
  const [sender, reader] = await Promise.all([registerUser(n0!.url), registerUser(n0!.url)]);
  const chat = await createChat(n0!.url, sender, "direct", [reader]);
  const s = await connectSocket(t, n0!.url, sender.token);
  const r = await connectSocket(t, n1!.url, reader.token);

  const acked = new Map<string, string>();
  const refused = new Map<string, string>(); // client_msg_id → error code
  let next = 0;
  let restarting = true;
  const send = async () => {
    const clientMsgId = `pg-${next++}`;
    const ack: Ack = await emitWithAck(
      s,
      "message:send",
      { chat_id: chat.id, body: clientMsgId, client_msg_id: clientMsgId },
      15_000,
    );
    if (ack.ok) acked.set(clientMsgId, ack.message!.id);
    else refused.set(clientMsgId, ack.error!.code);
    return ack.ok;
  };
  const stream = async () => {
    while (restarting) {
      // Pace the retries while the database is down, like a client backing off.
      if (!(await send())) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const senders = [stream(), stream()];
  await until(() => acked.size >= 10, "acked.size >= 10");
  const restartedAt = Date.now();
  try {
    // Not execFileSync: the nodes live in this process and must keep running meanwhile.
    await execFileAsync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"]);
  } finally {
    await ensurePostgres(t, version);
  }
  // The pool recovers by itself: sends succeed again without restarting the node.
  await eventually(async () => assert.equal(await send(), true), 20_000, 200);
  restarting = false;
  await Promise.all(senders);
  t.diagnostic(
    `restart + recovery: ${((Date.now() - restartedAt) / 1000).toFixed(1)} s; ` +
      `${acked.size} acknowledged, ${refused.size} refused`,
  );
  assert.ok(refused.size > 0, "some sends met the restart");
  for (const [id, code] of refused) assert.equal(code, "UNAVAILABLE", `${id} failed with ${code}`);

  // Every acknowledged send is stored once; a retry of a refused one stores at most one row.
  for (const clientMsgId of refused.keys()) {
    const ack: Ack = await emitWithAck(s, "message:send", {
      chat_id: chat.id,
      body: clientMsgId,
      client_msg_id: clientMsgId,
    });
    assert.equal(ack.ok, true);
    acked.set(clientMsgId, ack.message!.id);
  }
  const stored = await n0!.app.store.messages.changesSince(chat.id, 0, 10_000);
  assert.equal(stored.messages.length, acked.size);
  assert.deepEqual(new Set(stored.messages.map((m) => m.id)), new Set(acked.values()));
  // The reader on the other node has them all after catch-up.
  assert.deepEqual(await catchUp(r, chat.id, seen(r, chat.id)), new Set(acked.values()));
});

test("a stalled Redis does not hold up delivery to a node's own sockets", async (t) => {
  const postgres = postgresUrl();
  const redis = redisUrl();
  if (!postgres || !redis) return skipLoudly(t, "cluster tests need PostgreSQL and Redis");
  const env = await clusterEnv(t, postgres, redis);
  const [here, there] = await startNodes(t, env, 2);
  const [alice, bob, carol] = await Promise.all([1, 2, 3].map(() => registerUser(here!.url)));
  const chat = await createChat(here!.url, alice!, "group", [bob!, carol!], "stall");
  const a = await connectSocket(t, here!.url, alice!.token);
  const b = await connectSocket(t, here!.url, bob!.token);
  const c = await connectSocket(t, there!.url, carol!.token);

  // Redis keeps its connections but answers nothing for 3 s (like a silent network cut).
  const admin = createClient({ url: redis });
  await admin.connect();
  t.after(() => admin.close());
  await admin.sendCommand(["CLIENT", "PAUSE", "3000", "ALL"]);
  const pausedAt = Date.now();
  const sent = await emitWithAck(a, "message:send", { chat_id: chat.id, body: "stalled" });
  assert.equal(sent.ok, true);
  await until(() => seen(b, chat.id).has(sent.message.id), "delivered on this node", 2000, 10);
  const local = Date.now() - pausedAt;
  assert.ok(local < 2500, `local delivery took ${local} ms`);
  // The other node gets it once Redis answers again.
  await until(() => seen(c, chat.id).has(sent.message.id), "delivered across", 10_000);
  t.diagnostic(`local delivery after ${local} ms, cross-node after ${Date.now() - pausedAt} ms`);
  assert.equal([...seen(c, chat.id).keys()].filter((id) => id === sent.message.id).length, 1);
});
