/**
 * What an operator sees: `npm start` (compiled JavaScript, built first when the build is
 * missing or stale) prints one line when it is ready (where it listens, which database,
 * whether Redis is on), and one line per request.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { eventually } from "../support/clients.ts";
import { tempDir } from "../support/server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

test("the server says where it listens, on which database, and logs a request once", async (t) => {
  const dataDir = await tempDir(t);
  const { JWT_SECRET: _a, DATABASE_URL: _b, REDIS_URL: _c, NODE_ENV: _d, ...env } = process.env;
  const child = spawn("npm", ["start", "--silent"], {
    cwd: ROOT,
    env: { ...env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: npm, the shell and the server stop together.
    detached: true,
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  t.after(async () => {
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  // Not a terminal: JSON lines, one object each.
  const entries = () =>
    output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string; url?: string; [key: string]: unknown });

  const started = await eventually(() => {
    const line = entries().find((e) => e.msg.startsWith("Charla listening on"));
    assert.ok(line, output);
    return line;
  }, 120_000); // a stale build is compiled first
  assert.equal(
    started.msg,
    `Charla listening on ${started.url} · database: embedded PGlite in ${path.join(dataDir, "pglite")} · Redis: off`,
  );
  assert.equal(entries().filter((e) => /listening/i.test(e.msg)).length, 1, output);
  // Production runs the compiled server: the process that listens (its log lines carry its
  // pid as the node id) has no TypeScript loader.
  const server = Number(started.node);
  const commandLine = readFileSync(`/proc/${server}/cmdline`, "utf8").split("\0");
  assert.ok(commandLine.includes(path.join("dist", "server", "main.js")), commandLine.join(" "));
  assert.ok(!commandLine.some((arg) => /tsx/.test(arg)), commandLine.join(" "));

  const response = await fetch(`${started.url}/api/users/me`);
  assert.equal(response.status, 401);
  const forRequest = await eventually(() => {
    const lines = entries().filter((e) => e.url === "/api/users/me");
    assert.equal(lines.length, 1, output);
    return lines;
  });
  assert.deepEqual(
    { msg: forRequest[0]!.msg, method: forRequest[0]!.method, status: forRequest[0]!.status },
    { msg: "request", method: "GET", status: 401 },
  );
  // The barrier: a later request's line is there, and still one line for the first one.
  await fetch(`${started.url}/api/chats`);
  await eventually(() => assert.ok(entries().some((e) => e.url === "/api/chats")));
  assert.equal(entries().filter((e) => e.url === "/api/users/me").length, 1);
});
