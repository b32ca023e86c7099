/**
 * The embedded database runs on its own thread: a slow statement does not stop the server's
 * event loop (sockets, HTTP), statements sent while a transaction is open do not run inside
 * it, PostgreSQL's error fields still reach the caller, bytes are stored exactly as given,
 * and a closed database answers "PGlite is closed" (UNAVAILABLE to clients).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { isConnectionError, sqlState } from "../../src/server/storage/drivers/driver.ts";
import { openPgliteDriver } from "../../src/server/storage/drivers/pglite.ts";

test("PGlite: a slow statement leaves the event loop free", async (t) => {
  const db = await openPgliteDriver(undefined);
  t.after(() => db.close());
  const order: string[] = [];
  const slow = db.query("SELECT pg_sleep(1)").then(() => order.push("query done"));
  await sleep(100).then(() => order.push("timer fired"));
  await slow;
  // On the main thread the WebAssembly would have held the loop for the whole second.
  assert.deepEqual(order, ["timer fired", "query done"]);
});

test("PGlite: statements sent during a transaction wait for it, and a rollback keeps them", async (t) => {
  const db = await openPgliteDriver(undefined);
  t.after(() => db.close());
  await db.exec("CREATE TABLE notes (body text PRIMARY KEY)");

  let inside!: () => void;
  const transactionStarted = new Promise<void>((resolve) => (inside = resolve));
  const failed = db.transaction(async (tx) => {
    await tx.query("INSERT INTO notes VALUES ('rolled back')");
    inside();
    await sleep(50);
    throw new Error("abandon the transaction");
  });
  await transactionStarted;
  const outside = db.query("INSERT INTO notes VALUES ('kept')");

  await assert.rejects(failed, /abandon the transaction/);
  await outside;
  const rows = await db.query<{ body: string }>("SELECT body FROM notes ORDER BY body");
  assert.deepEqual(
    rows.map((row) => row.body),
    ["kept"],
  );
});

test("PGlite: PostgreSQL's error fields cross the thread", async (t) => {
  const db = await openPgliteDriver(undefined);
  t.after(() => db.close());
  await db.exec("CREATE TABLE names (name text CONSTRAINT names_unique UNIQUE)");
  await db.query("INSERT INTO names VALUES ($1)", ["ana"]);

  const error = await db.query("INSERT INTO names VALUES ($1)", ["ana"]).catch((e: unknown) => e);
  assert.ok(error instanceof Error);
  assert.equal(sqlState(error), "23505");
  assert.equal((error as { constraint?: string }).constraint, "names_unique");
  assert.match(error.message, /duplicate key/);
  // The database is still there after an error.
  assert.deepEqual(await db.query("SELECT count(*)::int AS n FROM names"), [{ n: 1 }]);
});

test("PGlite: bytes are stored exactly as given, a view's bytes only", async (t) => {
  const db = await openPgliteDriver(undefined);
  t.after(() => db.close());
  await db.exec("CREATE TABLE blobs (name text PRIMARY KEY, bytes bytea NOT NULL)");
  // Every byte value, NUL and backslash included: sent as text, PostgreSQL would refuse or
  // mangle them (the worker hands PGlite the bytes for its binary format).
  const everyByte = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
  // A view into a larger buffer, as the last chunk of a file is: only the view's bytes go.
  const backing = Buffer.alloc(300, 0xee);
  const view = Buffer.from(backing.buffer, backing.byteOffset + 7, 10).fill(0x5c);
  const cases = { everyByte, view, empty: new Uint8Array(0) };
  for (const [name, bytes] of Object.entries(cases)) {
    await db.query("INSERT INTO blobs VALUES ($1, $2::bytea)", [name, bytes]);
  }
  const rows = await db.query<{ name: string; bytes: Uint8Array; size: number }>(
    "SELECT name, bytes, octet_length(bytes) AS size FROM blobs",
  );
  for (const [name, bytes] of Object.entries(cases)) {
    const row = rows.find((r) => r.name === name);
    assert.ok(row, name);
    assert.equal(row.size, bytes.length, `${name}: its size`);
    assert.ok(Buffer.from(row.bytes).equals(bytes), `${name}: its bytes`);
  }
  await assert.rejects(
    db.query("INSERT INTO blobs VALUES ($1, $2::bytea)", ["text", "not bytes"]),
    /bytea takes a Uint8Array/,
  );
  assert.deepEqual(await db.query("SELECT count(*)::int AS n FROM blobs"), [{ n: 3 }]);
});

test("PGlite: after close every call fails as a connection error", async () => {
  const db = await openPgliteDriver(undefined);
  await db.close();
  const error = await db.query("SELECT 1").catch((e: unknown) => e);
  assert.ok(isConnectionError(error), String(error));
  await db.close(); // closing twice is harmless
});
