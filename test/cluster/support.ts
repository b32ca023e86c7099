/**
 * Cluster test helpers: several Charla nodes on one fresh PostgreSQL database and one Redis
 * key prefix, either in this process (`startNodes`) or as child processes (`spawnNode`), for
 * the tests that kill a node.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import readline from "node:readline";
import type { TestContext } from "node:test";
import type { Config } from "../../src/server/config.ts";
import {
  TEST_JWT_SECRET,
  postgresUrl,
  redisUrl,
  skipLoudly,
  startServer,
  withPostgres,
  type TestServer,
} from "../support/server.ts";
import { eventually } from "../support/clients.ts";

export interface ClusterEnv {
  /** Config overrides every node shares: database, Redis, fast presence heartbeats. */
  shared: Partial<Config>;
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
}

/**
 * Fast heartbeats so a dead node is noticed in seconds. CLUSTER_TEST_PRESENCE="5/15" runs
 * the suite with the production timings instead.
 */
const [heartbeat, expiry] = (process.env.CLUSTER_TEST_PRESENCE ?? "1/3").split("/").map(Number);
export const HEARTBEAT_SECONDS = heartbeat || 1;
export const EXPIRY_SECONDS = expiry || 3;

/** A fresh database and Redis prefix for this test. */
export async function clusterEnv(
  t: TestContext,
  postgres: string,
  redis: string,
): Promise<ClusterEnv> {
  const db = await withPostgres(t, postgres);
  const prefix = `charla_test_${randomBytes(5).toString("hex")}`;
  t.after(() => deleteKeys(redis, prefix));
  const databaseUrl = (db.database as { url: string }).url;
  return {
    databaseUrl,
    redisUrl: redis,
    prefix,
    shared: {
      ...db,
      redisUrl: redis,
      redisPrefix: prefix,
      presenceHeartbeatSeconds: HEARTBEAT_SECONDS,
      presenceExpirySeconds: EXPIRY_SECONDS,
    },
  };
}

/**
 * A fresh cluster env on TEST_DATABASE_URL and TEST_REDIS_URL, or undefined after skipping
 * `t` loudly when either is missing:
 *
 *   const env = await clusterEnvOrSkip(t);
 *   if (!env) return;
 */
export async function clusterEnvOrSkip(t: TestContext): Promise<ClusterEnv | undefined> {
  const postgres = postgresUrl();
  const redis = redisUrl();
  if (!postgres || !redis) {
    skipLoudly(t, "cluster tests need PostgreSQL and Redis");
    return undefined;
  }
  return clusterEnv(t, postgres, redis);
}

/** Removes this test's keys (best effort: Redis may have been restarted meanwhile). */
function deleteKeys(redisUrl: string, prefix: string): void {
  try {
    const { hostname, port } = new URL(redisUrl);
    const args = ["-h", hostname, "-p", port || "6379"];
    const keys = execFileSync("redis-cli", [...args, "--scan", "--pattern", `${prefix}:*`])
      .toString()
      .split("\n")
      .filter(Boolean);
    for (let i = 0; i < keys.length; i += 500) {
      execFileSync("redis-cli", [...args, "del", ...keys.slice(i, i + 500)]);
    }
  } catch {
    // redis-cli missing or Redis down: the keys are only test leftovers
  }
}

/** `count` in-process nodes sharing the env, started one after another (migrations). */
export async function startNodes(
  t: TestContext,
  env: ClusterEnv,
  count: number,
  overrides: Partial<Config> = {},
): Promise<TestServer[]> {
  const nodes: TestServer[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push(await startServer(t, { ...env.shared, nodeId: `n${i}`, ...overrides }));
  }
  return nodes;
}

export interface ChildNode {
  url: string;
  child: ChildProcess;
  /** Lines the node logged (JSON), for assertions and debugging. */
  logs: string[];
  /** SIGKILL: no goodbye, no flush. Resolves when the process is gone. */
  kill(): Promise<void>;
}

const MAIN = path.resolve(import.meta.dirname, "../../src/server/main.ts");

/** A node as a real child process (`node --conditions=source --import tsx src/server/main.ts`), port 0. */
export async function spawnNode(
  t: TestContext,
  env: ClusterEnv,
  extraEnv: Record<string, string> = {},
): Promise<ChildNode> {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN], {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      NODE_ID: `child${randomBytes(2).toString("hex")}`,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: env.prefix,
      JWT_SECRET: TEST_JWT_SECRET,
      PRESENCE_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS),
      PRESENCE_EXPIRY_SECONDS: String(EXPIRY_SECONDS),
      RATE_LIMIT_DISABLED: "1",
      LOG_LEVEL: "info",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  t.after(kill);
  const logs: string[] = [];
  let port: number | undefined;
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    logs.push(line);
    try {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (String(entry.msg).startsWith("Charla listening on") && entry.port) port = entry.port;
    } catch {
      // not a log line
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  try {
    await eventually(() => {
      if (child.exitCode !== null) throw new Error("exited");
      if (port === undefined) throw new Error("not listening yet");
    }, 20_000);
  } catch (error) {
    await kill();
    throw new Error(`child node did not start: ${(error as Error).message}\n${logs.join("\n")}`, {
      cause: error,
    });
  }
  return { url: `http://127.0.0.1:${port}`, child, logs, kill };
}

/**
 * Polls until `condition` holds. (A bare `assert.ok(x)` that fails makes Node parse the
 * test's source to word its message: far too slow to repeat every 20 ms.)
 */
export function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 5000,
  every = 20,
): Promise<void> {
  return eventually(
    async () => {
      if (!(await condition())) throw new Error(`timed out waiting until ${what}`);
    },
    ms,
    every,
  );
}
