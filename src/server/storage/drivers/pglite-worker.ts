/**
 * The embedded database's own thread. PGlite runs PostgreSQL as WebAssembly, synchronously:
 * on the main thread every query stopped the sockets (64 % of the server's CPU at 1000 msg/s
 * in the benchmark). Here it runs beside them. Requests arrive in order and are answered in
 * order; the main thread (pglite.ts) keeps transactions from interleaving.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, types } from "@electric-sql/pglite";
import type { WorkerFailure, WorkerReply, WorkerRequest } from "./pglite-protocol.ts";

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string | undefined };

/** What crosses back to the main thread: the fields callers read (code, detail, constraint…). */
function describe(error: unknown): WorkerFailure {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, detail, hint, constraint, table, column, severity } = error as unknown as Record<
    string,
    unknown
  >;
  const fields = { code, detail, hint, constraint, table, column, severity };
  return {
    message: error.message,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => typeof value === "string")),
  };
}

/**
 * bytea (file chunks) as bytes, not text. PGlite 0.5's own serializer turns a parameter into
 * hex with a string per byte, and even one hex string (Buffer's codec, until 2026-12-03) made
 * a 256 KiB chunk into 512 KiB of text, copied again into the bind message and decoded again
 * by PostgreSQL: a steady 25 MiB upload raised the server's RSS by 15–20 MB, that text and
 * its copies waiting to be collected. Handed back as bytes, PGlite's wire writer (pg-protocol's
 * `bind`, as in node-postgres) sends the value in binary format, which PostgreSQL stores as
 * is: the same upload now raises RSS by 1–2 MB and writes twice as fast
 * (docs/benchmarks.md, "Files"). PGlite types serializers as returning strings, hence the
 * cast; test/storage/pglite-thread.test.ts fails loudly if it stops taking bytes as they are.
 * Results still come back as hex text (PGlite asks for text results), decoded natively.
 */
const BYTEA = types.BYTEA;
const asBinaryParameter = (bytes: Uint8Array) => bytes as unknown as string;
const byteCodecs = {
  serializers: {
    [BYTEA]: (value: unknown) => {
      if (!(value instanceof Uint8Array)) throw new TypeError("bytea takes a Uint8Array");
      return asBinaryParameter(value);
    },
  },
  parsers: { [BYTEA]: (text: string) => Buffer.from(text.slice(2), "hex") },
};

let db: PGlite;
try {
  // One options object: `new PGlite(undefined, options)` (in memory, as in the tests) drops
  // its second argument, so the codecs above were only ever used on disk.
  db = new PGlite({ dataDir, ...byteCodecs });
  await db.waitReady;
  port.postMessage({ id: 0, ok: true } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: describe(error) } satisfies WorkerReply);
  process.exit(1);
}

async function run(request: WorkerRequest): Promise<WorkerReply> {
  try {
    switch (request.op) {
      case "query": {
        // Arrays, not objects: PGlite builds an object per row with Object.fromEntries, and
        // the copy to the main thread then carries every column name in every row (a
        // catch-up page is 201 rows of 16 columns; docs/benchmarks.md "History and catch-up").
        const result = await db.query<unknown[]>(request.text, request.params as unknown[], {
          rowMode: "array",
        });
        const columns = result.fields.map((field) => field.name);
        return { id: request.id, ok: true, result: { columns, rows: result.rows } };
      }
      case "exec":
        await db.exec(request.text);
        return { id: request.id, ok: true };
      case "close":
        await db.close();
        return { id: request.id, ok: true };
    }
  } catch (error) {
    return { id: request.id, ok: false, error: describe(error) };
  }
}

// One request at a time, in arrival order: a transaction's BEGIN, its statements and its
// COMMIT run in the order the main thread sent them.
let previous: Promise<unknown> = Promise.resolve();
port.on("message", (request: WorkerRequest) => {
  previous = previous.then(async () => {
    port.postMessage(await run(request));
    if (request.op === "close") port.close();
  });
});
