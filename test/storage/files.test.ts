/**
 * The FileStore contract, run on every backend: PGlite and PostgreSQL (FILE_STORAGE=
 * database) and S3 (a local s3rver). Files go in and out piece by piece, by byte range,
 * across chunks and S3 parts, and a failed write leaves nothing.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { test, type TestContext } from "node:test";
import type { FileStore } from "../../src/server/storage/file-store.ts";
import { DATABASE_CHUNK_BYTES } from "../../src/server/storage/files/database.ts";
import { s3FileStore } from "../../src/server/storage/files/s3.ts";
import { startLocalS3 } from "../support/s3.ts";
import { openTestStore, postgresDatabase } from "../support/stores.ts";

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

export async function fileStoreContract(_t: TestContext, files: FileStore): Promise<void> {
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

  // A source that fails half-way leaves nothing behind, early or after many pieces (past
  // one S3 part, so a multipart upload is under way and has to be aborted).
  for (const before of [DATABASE_CHUNK_BYTES + 1, 6 * 1024 * 1024]) {
    const broken = randomUUID();
    async function* failing() {
      yield* pieces(randomBytes(before), 65_536);
      throw new Error("client went away");
    }
    await assert.rejects(files.write(broken, failing()), /client went away/);
    assert.equal((await readAll(files.read(broken))).length, 0, "nothing left of a failed write");
  }

  // Larger than one S3 part: a multipart upload, read back whole and across a part's end.
  const large = randomBytes(11 * 1024 * 1024 + 7);
  const largeKey = randomUUID();
  assert.equal(await files.write(largeKey, pieces(large, 64 * 1024)), large.length);
  assert.ok((await readAll(files.read(largeKey))).equals(large), "the large file comes back");
  const edge = 5 * 1024 * 1024;
  const across = await readAll(files.read(largeKey, { start: edge - 3, end: edge + 3 }));
  assert.ok(across.equals(large.subarray(edge - 3, edge + 4)), "across a part's end");

  // Never written: nothing to read, nothing to fail.
  assert.equal((await readAll(files.read(randomUUID()))).length, 0);

  await files.remove([key, empty, largeKey, randomUUID()]);
  assert.equal((await readAll(files.read(key))).length, 0, "removed");
  assert.equal((await readAll(files.read(largeKey))).length, 0, "removed");
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

test("files in S3 (a local s3rver)", async (t) => {
  const s3 = await startLocalS3();
  t.after(() => s3.close());
  const files = s3FileStore(s3.config);
  t.after(() => files.close());
  await fileStoreContract(t, files);
});
