/**
 * The FileStore contract, run on every backend: PGlite and PostgreSQL (FILE_STORAGE=
 * database) and S3 (a local S3-compatible server). Files go in and out piece by piece, by
 * byte range, and a failed write leaves nothing.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { test, type TestContext } from "node:test";
import type { FileStore } from "../../src/server/storage/file-store.ts";
import { DATABASE_CHUNK_BYTES } from "../../src/server/storage/files/database.ts";
import { openTestStore, postgresDatabase } from "../support/stores.ts";

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

export async function fileStoreContract(t: TestContext, files: FileStore): Promise<void> {
  // Across several backend chunks, written in odd network-sized pieces.
  const bytes = randomBytes(DATABASE_CHUNK_BYTES * 2 + 12_345);
  const key = randomUUID();
  assert.equal(await files.write(key, pieces(bytes, 65_521)), bytes.length);
  assert.ok((await readAll(files.read(key))).equals(bytes), "the whole file comes back");

  const ranges: Array<[number, number]> = [
    [0, 0],
    [0, 99],
    [DATABASE_CHUNK_BYTES - 10, DATABASE_CHUNK_BYTES + 10],
    [DATABASE_CHUNK_BYTES * 2, bytes.length - 1],
    [bytes.length - 1, bytes.length - 1],
    [100, bytes.length - 1],
  ];
  for (const [start, end] of ranges) {
    const got = await readAll(files.read(key, { start, end }));
    assert.ok(got.equals(bytes.subarray(start, end + 1)), `bytes ${start}-${end}`);
  }

  // An empty file, and a small one.
  const empty = randomUUID();
  assert.equal(await files.write(empty, pieces(new Uint8Array(0), 1)), 0);
  assert.equal((await readAll(files.read(empty))).length, 0);

  // A source that fails half-way leaves nothing behind.
  const broken = randomUUID();
  async function* failing() {
    yield randomBytes(DATABASE_CHUNK_BYTES + 1);
    throw new Error("client went away");
  }
  await assert.rejects(files.write(broken, failing()), /client went away/);
  assert.equal((await readAll(files.read(broken))).length, 0, "nothing left of a failed write");

  await files.remove([key, empty, randomUUID()]);
  assert.equal((await readAll(files.read(key))).length, 0, "removed");
  await files.remove([]);
}

test("files in the database on PGlite (in memory)", async (t) => {
  const store = await openTestStore(t, { kind: "pglite", dataDir: undefined });
  await fileStoreContract(t, store.files);
});

test("files in the database on PostgreSQL", async (t) => {
  const database = await postgresDatabase(t, "files in the database on PostgreSQL");
  if (!database) return;
  const store = await openTestStore(t, database);
  await fileStoreContract(t, store.files);
});
