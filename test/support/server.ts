/**
 * Test servers: a real Charla app on an ephemeral port, torn down with the test.
 * Embedded in-memory PGlite by default; `withPostgres` gives a fresh PostgreSQL database.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import pg from "pg";
import { createApp, type App } from "../../src/server/app.ts";
import { loadConfig, type Config } from "../../src/server/config.ts";

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-signing";

/** Config for tests: port 0, quiet logs, in-memory database, generous rate limits. */
export function testConfig(overrides: Partial<Config> = {}): Readonly<Config> {
  const base = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: path.join(os.tmpdir(), "charla-test-unused"),
    RATE_LIMIT_REGISTRATIONS: "100000",
    RATE_LIMIT_LOGIN_ATTEMPTS: "100000",
    RATE_LIMIT_LOGIN_IP_ATTEMPTS: "100000",
    RATE_LIMIT_CHAT_CREATIONS: "100000",
    PASSWORD_HASH_QUEUE: "100000",
    RATE_LIMIT_SOCKET_EVENTS: "100000",
    SHUTDOWN_GRACE_SECONDS: "2",
  });
  return Object.freeze({
    ...base,
    database: { kind: "pglite", dataDir: undefined },
    ...overrides,
  } as Config);
}

export interface TestServer {
  url: string;
  app: App;
  close(): Promise<void>;
}

/** Starts a server for this test and closes it when the test ends. */
export async function startServer(
  t: TestContext,
  overrides: Partial<Config> = {},
): Promise<TestServer> {
  const app = await createApp(testConfig(overrides));
  t.after(() => app.close());
  const url = await app.listen();
  return { url, app, close: () => app.close() };
}

/** A fresh temporary directory removed after the test. */
export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "charla-test-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const REQUIRED = process.env.CHARLA_REQUIRE_SERVICES === "1";

/**
 * The PostgreSQL server tests may use, or undefined (the test then skips, loudly).
 * With CHARLA_REQUIRE_SERVICES=1 (CI) a missing TEST_DATABASE_URL fails instead.
 */
export function postgresUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && REQUIRED)
    throw new Error("TEST_DATABASE_URL is required (CHARLA_REQUIRE_SERVICES=1)");
  return url || undefined;
}

export function redisUrl(): string | undefined {
  const url = process.env.TEST_REDIS_URL;
  if (!url && REQUIRED) throw new Error("TEST_REDIS_URL is required (CHARLA_REQUIRE_SERVICES=1)");
  return url || undefined;
}

/** Says loudly that a suite did not run, and why. */
export function skipLoudly(t: TestContext, what: string): void {
  const reason = `SKIPPED: ${what} (set ${what.includes("Redis") ? "TEST_REDIS_URL" : "TEST_DATABASE_URL"} to run it)`;
  console.warn(`\n*** ${reason} ***\n`);
  t.skip(reason);
}

/**
 * Creates a database `charla_test_<random>` on the TEST_DATABASE_URL server, dropped after
 * the test. Returns its URL.
 */
export async function createTestDatabase(t: TestContext, serverUrl: string): Promise<string> {
  const name = `charla_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  t.after(async () => {
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Config overrides for a fresh PostgreSQL database. */
export async function withPostgres(t: TestContext, serverUrl: string): Promise<Partial<Config>> {
  const url = await createTestDatabase(t, serverUrl);
  return { database: { kind: "postgres", url, poolSize: 10 } };
}
