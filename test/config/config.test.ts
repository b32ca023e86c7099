/**
 * Configuration from the environment: defaults of CONTRACT.md, and a bad value stops the
 * process with a message naming the variable.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { ConfigError, loadConfig } from "../../src/server/config.ts";

const SECRET = "a-secret-that-is-at-least-32-characters-long";

test("defaults are those of the contract", () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.host, "0.0.0.0");
  assert.equal(config.listenBacklog, 4096);
  assert.equal(config.dataDir, path.resolve("./data"));
  assert.deepEqual(config.database, { kind: "pglite", dataDir: path.resolve("./data/pglite") });
  assert.equal(config.redisUrl, undefined);
  assert.equal(config.jwtSecret, undefined);
  assert.equal(config.tokenTtlSeconds, 86_400);
  assert.deepEqual(config.corsOrigins, []);
  assert.equal(config.logLevel, "info");
  assert.equal(config.production, false);
  assert.equal(config.maxSocketFrameBytes, 64 * 1024);
  assert.equal(config.maxHttpBodyBytes, 64 * 1024);
  assert.ok(config.rateLimits && config.rateLimits.socketEvents > 0);
  assert.equal(config.presenceScope, "shared");
  assert.equal(loadConfig({ PRESENCE_SCOPE: "everyone" }).presenceScope, "everyone");
  assert.equal(config.searchIndexing, true);
  assert.equal(loadConfig({ SEARCH_INDEXING: "off" }).searchIndexing, false);
  assert.ok(Object.isFrozen(config));
});

test("values from the environment", () => {
  const config = loadConfig({
    PORT: "8080",
    HOST: "127.0.0.1",
    LISTEN_BACKLOG: "1024",
    DATA_DIR: "/tmp/charla-data",
    DATABASE_URL: "postgres://root@127.0.0.1:5432/charla",
    REDIS_URL: "redis://127.0.0.1:6379",
    JWT_SECRET: SECRET,
    TOKEN_TTL_SECONDS: "60",
    CORS_ORIGINS: "https://chat.example.com, http://localhost:5173",
    LOG_LEVEL: "debug",
    NODE_ENV: "production",
    RATE_LIMIT_DISABLED: "1",
  });
  assert.equal(config.port, 8080);
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.listenBacklog, 1024);
  assert.equal(config.dataDir, "/tmp/charla-data");
  assert.deepEqual(config.database, {
    kind: "postgres",
    url: "postgres://root@127.0.0.1:5432/charla",
    poolSize: 10,
  });
  assert.equal(config.redisUrl, "redis://127.0.0.1:6379");
  assert.equal(config.jwtSecret, SECRET);
  assert.equal(config.tokenTtlSeconds, 60);
  assert.deepEqual(config.corsOrigins, ["https://chat.example.com", "http://localhost:5173"]);
  assert.equal(config.logLevel, "debug");
  assert.equal(config.production, true);
  assert.equal(config.rateLimits, undefined);
});

test("REGISTRATION and ADMIN_USERNAMES", () => {
  assert.equal(loadConfig({}).registration, "open");
  assert.deepEqual(loadConfig({}).adminUsernames, []);
  assert.equal(loadConfig({ REGISTRATION: "invite" }).registration, "invite");
  assert.equal(loadConfig({ REGISTRATION: "closed" }).registration, "closed");
  assert.deepEqual(loadConfig({ ADMIN_USERNAMES: " Ana , b en,,ANA" }).adminUsernames, [
    "ana",
    "ben",
  ]);
});

test("a bad value is a ConfigError naming the variable", () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "-1" }, "PORT"],
    [{ LISTEN_BACKLOG: "0" }, "LISTEN_BACKLOG"],
    [{ TOKEN_TTL_SECONDS: "0" }, "TOKEN_TTL_SECONDS"],
    [{ TOKEN_TTL_SECONDS: "1.5" }, "TOKEN_TTL_SECONDS"],
    [{ DATABASE_URL: "mysql://localhost/db" }, "DATABASE_URL"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL"],
    [{ REDIS_URL: "http://localhost:6379" }, "REDIS_URL"],
    [{ JWT_SECRET: "short" }, "JWT_SECRET"],
    [{ NODE_ENV: "production" }, "JWT_SECRET"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ REGISTRATION: "invites" }, "REGISTRATION"],
    [{ PUBLIC_URL: "chat.example.com" }, "PUBLIC_URL"],
    [{ PRESENCE_SCOPE: "contacts" }, "PRESENCE_SCOPE"],
    [{ PRESENCE_SCOPE: "Shared" }, "PRESENCE_SCOPE"],
    [{ SEARCH_INDEXING: "0" }, "SEARCH_INDEXING"],
    [{ CORS_ORIGINS: "chat.example.com" }, "CORS_ORIGINS"],
    [{ RATE_LIMIT_SOCKET_EVENTS: "0" }, "RATE_LIMIT_SOCKET_EVENTS"],
    [{ DATABASE_POOL_SIZE: "many", DATABASE_URL: "postgres://h/db" }, "DATABASE_POOL_SIZE"],
  ];
  for (const [env, variable] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes(variable) &&
        error.message.length > 0,
      `${JSON.stringify(env)} should name ${variable}`,
    );
  }
  // Production with a secret is fine.
  assert.equal(loadConfig({ NODE_ENV: "production", JWT_SECRET: SECRET }).production, true);
});

test("the server refuses to start on a bad configuration, naming the variable", async () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const { JWT_SECRET: _drop, ...env } = process.env;
  const result = await promisify(execFile)(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/server/main.ts"],
    { cwd: root, env: { ...env, NODE_ENV: "production", PORT: "0" }, timeout: 60_000 },
  ).then(
    () => ({ code: 0, stderr: "" }),
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal(result.code, 2);
  assert.match(result.stderr, /JWT_SECRET is required when NODE_ENV=production/);
});

test("an unknown PRESENCE_SCOPE stops the server at start, naming the variable", async () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const result = await promisify(execFile)(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/server/main.ts"],
    { cwd: root, env: { ...process.env, PRESENCE_SCOPE: "friends", PORT: "0" }, timeout: 60_000 },
  ).then(
    () => ({ code: 0, stderr: "" }),
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal(result.code, 2);
  assert.match(result.stderr, /PRESENCE_SCOPE must be one of shared, everyone, got "friends"/);
});
