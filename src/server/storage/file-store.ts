/**
 * The bytes port: where uploaded files live, apart from what is known about them (the
 * AttachmentStore). FILE_STORAGE picks the backend: `database` (chunks in PGlite or
 * PostgreSQL, files/database.ts) or `s3` (any S3-compatible service, files/s3.ts). Both
 * stream: a file is never held whole in memory on the way in or out. Each backend runs the
 * one contract suite in test/storage/files.test.ts.
 */

/** Bytes `start` to `end`, both included (as in an HTTP `Range`). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface FileStore {
  readonly kind: "database" | "s3";
  /**
   * Writes the file at `key` from `source`, piece by piece as it arrives, and resolves with
   * its size. When `source` throws (too large, the client went away) nothing is left behind
   * and the error comes out as it was.
   */
  write(key: string, source: AsyncIterable<Uint8Array>): Promise<number>;
  /** The file's bytes (all, or `range`), read piece by piece as the consumer asks. */
  read(key: string, range?: ByteRange): AsyncIterable<Uint8Array>;
  /** Removes the files; keys that are not there are ignored. */
  remove(keys: readonly string[]): Promise<void>;
  /** Gives back what the backend opened (the database's is closed by the Store). */
  close(): Promise<void>;
}

/**
 * `source` in pieces of exactly `size` bytes (the last one shorter): backends write pieces
 * of a size they choose, whatever sizes the network delivered. At most one piece is held.
 */
export async function* rechunk(
  source: AsyncIterable<Uint8Array>,
  size: number,
): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(size);
  let filled = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.length) {
      const take = Math.min(size - filled, piece.length - offset);
      buffer.set(piece.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        yield buffer;
        buffer = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
