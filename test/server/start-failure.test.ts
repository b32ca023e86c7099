/**
 * A start that fails part-way gives back what it opened: the database pool and the Redis
 * connections are closed before the error reaches the caller, so a supervisor retrying a
 * bad start does not pile up connections on the shared PostgreSQL and Redis.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { createApp } from "../../src/server/app.ts";
import { eventually } from "../support/clients.ts";
import {
  createTestDatabase,
  postgresUrl,
  redisUrl,
  skipLoudly,
  tempDir,
  testConfig,
} from "../support/server.ts";

/** This process's established TCP connections to `port` (from /proc: no sampling, no guess). */
function connectionsTo(port: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed while we looked
    }
  }
  let count = 0;
  for (const table of ["/proc/self/net/tcp", "/proc/self/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const remotePort = Number.parseInt(fields[2]!.split(":")[1]!, 16);
      const established = fields[3] === "01";
      if (remotePort === port && established && inodes.has(fields[9]!)) count++;
    }
  }
  return count;
}

test("a start that fails after opening the database and Redis closes both", async (t) => {
  const pgServer = postgresUrl();
  const redis = redisUrl();
  if (!pgServer) return skipLoudly(t, "start-up clean-up on PostgreSQL");
  if (!redis) return skipLoudly(t, "start-up clean-up with Redis");
  const url = await createTestDatabase(t, pgServer);
  const before = { pg: connectionsTo(5432), redis: connectionsTo(6379) };

  // A DATA_DIR that is a file: the signing key cannot be written, a step after both are open.
  const notADirectory = path.join(await tempDir(t), "file");
  await writeFile(notADirectory, "");
  const config = testConfig({
    database: { kind: "postgres", url, poolSize: 4 },
    redisUrl: redis,
    redisPrefix: `charla-test-${process.pid}`,
    jwtSecret: undefined,
    dataDir: notADirectory,
  });
  await assert.rejects(createApp(config), /ENOTDIR|EEXIST|not a directory/i);

  await eventually(() => {
    assert.equal(connectionsTo(5432), before.pg, "PostgreSQL connections left open");
    assert.equal(connectionsTo(6379), before.redis, "Redis connections left open");
  });
});
