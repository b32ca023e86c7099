/**
 * Starts N local Charla nodes that form one service, for trying multi-node by hand:
 *
 *   npm run cluster -- --nodes 3            # ports 3000, 3001, 3002
 *   npm run cluster -- --nodes 2 --port 4000
 *
 * Every node gets the same DATABASE_URL (default postgres://root@127.0.0.1:5432/charla, the
 * database is created when missing), REDIS_URL (default redis://127.0.0.1:6379) and
 * JWT_SECRET (random per run unless set), so a token from one node works on all. Ctrl-C stops
 * them all gracefully. Kill one with `kill -9 <pid>` to watch the others take over.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import pg from "pg";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", short: "n", default: "3" },
    port: { type: "string", short: "p", default: "3000" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("usage: npm run cluster -- [--nodes 3] [--port 3000]");
  process.exit(0);
}
const count = Number(values.nodes);
const basePort = Number(values.port);
if (!Number.isInteger(count) || count < 1 || count > 32) {
  console.error("--nodes must be a whole number from 1 to 32");
  process.exit(2);
}
if (!Number.isInteger(basePort) || basePort < 1 || basePort + count > 65535) {
  console.error("--port must be a port number");
  process.exit(2);
}

const databaseUrl = process.env.DATABASE_URL || "postgres://root@127.0.0.1:5432/charla";
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const jwtSecret = process.env.JWT_SECRET || randomBytes(32).toString("hex");

/** Creates the database named in DATABASE_URL when it does not exist yet. */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) return;
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

try {
  await ensureDatabase(databaseUrl);
} catch (error) {
  console.error(`cannot prepare ${databaseUrl}: ${(error as Error).message}`);
  process.exit(1);
}

const main = path.resolve(import.meta.dirname, "../src/server/main.ts");
const children: ChildProcess[] = [];
let stopping = false;

function start(index: number): Promise<void> {
  const name = `node${index + 1}`;
  const port = basePort + index;
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", main], {
    env: {
      ...process.env,
      PORT: String(port),
      NODE_ID: name,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      JWT_SECRET: jwtSecret,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const prefix = `[${name}]`;
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      console.log(prefix, line);
      if (line.includes('"msg":"Charla listening on')) resolve();
    });
    readline.createInterface({ input: child.stderr! }).on("line", (line) => {
      console.error(prefix, line);
    });
    child.once("exit", (code, signal) => {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!stopping) console.error(`${prefix} exited (${how}); the other nodes keep running`);
      reject(new Error(`${name} exited (${how})`));
    });
  });
}

function stopAll(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  console.log(`\nstopping ${children.length} nodes…`);
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of alive) child.kill(signal === "SIGINT" ? "SIGTERM" : signal);
  const force = setTimeout(() => {
    for (const child of alive) child.kill("SIGKILL");
  }, 15_000);
  Promise.all(alive.map((c) => new Promise((resolve) => c.once("exit", resolve)))).then(() => {
    clearTimeout(force);
    process.exit(0);
  });
}
process.on("SIGINT", () => stopAll("SIGINT"));
process.on("SIGTERM", () => stopAll("SIGTERM"));

const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => start(i)));
if (stopping) process.exit(0);
if (results.some((r) => r.status === "rejected")) {
  console.error("some nodes did not start; stopping the others");
  stopAll("SIGTERM");
} else {
  console.log(`\nCharla: ${count} nodes, one service (Ctrl-C stops them all)`);
  for (let i = 0; i < count; i++) {
    console.log(`  node${i + 1}  http://127.0.0.1:${basePort + i}  (pid ${children[i]!.pid})`);
  }
  console.log(`  database ${databaseUrl}\n  redis    ${redisUrl}\n`);
}
