/**
 * FILE_STORAGE=database (the default): each file as chunks of 256 KiB in `file_chunks`, in
 * the same PGlite or PostgreSQL as everything else, so every node sharing the database
 * serves every file with nothing more to set up. Each chunk is its own statement (never one
 * transaction for a whole upload: on PGlite that would hold every other query until the
 * client finished sending), and reads fetch a few chunks at a time as the consumer asks.
 */
import type { SqlQueryable } from "../drivers/driver.ts";
import { rechunk, type ByteRange, type FileStore } from "../file-store.ts";

/** Big enough that a 25 MiB file is 100 rows, small enough to hold a few in memory. */
export const DATABASE_CHUNK_BYTES = 256 * 1024;
/** Chunks fetched per read query: 512 KiB in memory at most while a file streams out. */
const CHUNKS_PER_READ = 2;

/** bytea comes back as a Buffer (node-postgres) or a Uint8Array (PGlite). */
const bytesOf = (value: unknown): Uint8Array =>
  value instanceof Uint8Array ? value : Buffer.from(String(value), "hex");

export function databaseFileStore(db: SqlQueryable): FileStore {
  const removeKey = (key: string) => db.query("DELETE FROM file_chunks WHERE file_key = $1", [key]);

  return {
    kind: "database",

    async write(key, source) {
      let size = 0;
      try {
        for await (const chunk of rechunk(source, DATABASE_CHUNK_BYTES)) {
          await db.query(
            "INSERT INTO file_chunks (file_key, start_byte, size, bytes) VALUES ($1, $2, $3, $4::bytea)",
            [key, size, chunk.length, Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)],
          );
          size += chunk.length;
        }
      } catch (error) {
        await removeKey(key).catch(() => undefined);
        throw error;
      }
      return size;
    },

    async *read(key, range?: ByteRange) {
      const end = range?.end ?? Number.MAX_SAFE_INTEGER;
      let position = range?.start ?? 0;
      // The chunk holding the first byte, then the following ones in order.
      let rows = await db.query(
        `SELECT start_byte, size, bytes FROM file_chunks
          WHERE file_key = $1 AND start_byte <= $2 ORDER BY start_byte DESC LIMIT 1`,
        [key, position],
      );
      while (rows.length > 0 && position <= end) {
        for (const row of rows) {
          const start = Number(row.start_byte);
          const bytes = bytesOf(row.bytes);
          const from = position - start;
          const to = Math.min(bytes.length, end - start + 1);
          if (from >= bytes.length) return;
          if (to > from) yield bytes.subarray(from, to);
          position = start + to;
          if (position > end) return;
        }
        rows = await db.query(
          `SELECT start_byte, size, bytes FROM file_chunks
            WHERE file_key = $1 AND start_byte >= $2 ORDER BY start_byte LIMIT $3`,
          [key, position, CHUNKS_PER_READ],
        );
      }
    },

    async remove(keys) {
      if (keys.length === 0) return;
      await db.query("DELETE FROM file_chunks WHERE file_key = ANY($1::text[])", [[...keys]]);
    },

    close: async () => undefined,
  };
}
