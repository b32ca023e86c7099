/**
 * Migrations: applied at start, idempotent, safe when nodes start together, runnable on their
 * own with `npm run migrate`; and an embedded database under DATA_DIR keeps its data across
 * restarts.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import pino from "pino";
import { migrate } from "../../src/server/storage/migrate.ts";
import { openDriver, openStore } from "../../src/server/storage/open.ts";
import { createTestDatabase, postgresUrl, skipLoudly, tempDir } from "../support/server.ts";

const log = pino({ level: "silent" });
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
/** Every migration shipped, in the order they apply. */
const MIGRATIONS = readdirSync(path.join(ROOT, "src/server/storage/migrations"))
  .filter((name) => name.endsWith(".sql"))
  .sort();

function migrateCli(env: Record<string, string>) {
  const { DATABASE_URL: _unset, ...base } = process.env;
  return run(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/server/cli/migrate.ts"],
    {
      cwd: ROOT,
      env: { ...base, LOG_LEVEL: "warn", ...env },
      timeout: 60_000,
    },
  );
}

test("PGlite: the CLI migrates DATA_DIR, start finds nothing to apply, data survives restarts", async (t) => {
  const dataDir = await tempDir(t);
  const database = { kind: "pglite" as const, dataDir: path.join(dataDir, "pglite") };

  const { stdout } = await migrateCli({ DATA_DIR: dataDir });
  assert.ok(stdout.includes(`applied ${MIGRATIONS.join(", ")}`), stdout);
  const driver = await openDriver(database, log);
  assert.deepEqual(await migrate(driver), [], "a second run applies nothing");
  const rows = await driver.query<{ name: string }>("SELECT name FROM schema_migrations");
  assert.deepEqual(
    rows.map((r) => r.name),
    MIGRATIONS,
  );
  await driver.close();

  const store = await openStore(database, log);
  const user = await store.users.create({
    id: randomUUID(),
    username: "keeper",
    password_hash: "h",
  });
  const chat = await store.chats.create({
    id: randomUUID(),
    type: "group",
    name: "kept",
    created_by: user.id,
    direct_key: null,
    member_ids: [],
  });
  await store.messages.append([
    {
      id: randomUUID(),
      chat_id: chat.id,
      sender_id: user.id,
      body: "still here",
      client_msg_id: null,
    },
  ]);
  await store.close();

  const reopened = await openStore(database, log);
  t.after(() => reopened.close());
  assert.equal((await reopened.users.findByUsername("KEEPER"))?.id, user.id);
  const history = await reopened.messages.history(chat.id, { limit: 10 });
  assert.deepEqual(
    history.messages.map((m) => [m.seq, m.body]),
    [[1, "still here"]],
  );
  // The next message continues the sequence.
  const [next] = await reopened.messages.append([
    { id: randomUUID(), chat_id: chat.id, sender_id: user.id, body: "after", client_msg_id: null },
  ]);
  assert.equal(next?.kind === "stored" && next.message.seq, 2);
});

test("PostgreSQL: CLI, idempotent, and nodes starting together migrate once", async (t) => {
  const server = postgresUrl();
  if (!server) return skipLoudly(t, "migrations on PostgreSQL");
  const [viaCli, together] = await Promise.all([
    createTestDatabase(t, server),
    createTestDatabase(t, server),
  ]);

  const first = await migrateCli({ DATABASE_URL: viaCli });
  assert.ok(first.stdout.includes(`DATABASE_URL: applied ${MIGRATIONS.join(", ")}`), first.stdout);
  assert.ok(!first.stdout.includes(viaCli), "the URL (it may hold a password) is not printed");
  const second = await migrateCli({ DATABASE_URL: viaCli });
  assert.match(second.stdout, /up to date/);

  // Three nodes open the same empty database at once: one applies, the others wait and see it.
  const database = { kind: "postgres" as const, url: together, poolSize: 2 };
  const stores = await Promise.all([1, 2, 3].map(() => openStore(database, log)));
  t.after(() => Promise.all(stores.map((s) => s.close())));
  const driver = await openDriver(database, log);
  t.after(() => driver.close());
  const rows = await driver.query<{ name: string }>("SELECT name FROM schema_migrations");
  assert.deepEqual(
    rows.map((r) => r.name),
    MIGRATIONS,
  );
  assert.deepEqual(await migrate(driver), []);
  await stores[0]!.users.create({ id: randomUUID(), username: "works", password_hash: "h" });
  assert.ok(await stores[2]!.users.findByUsername("works"));
});
