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
 * bytea (file chunks) through Node's own hex codec. PGlite 0.5's serializer makes a string
 * per byte (`Array.from(bytes).map(b => b.toString(16))…join("")`) and its parser a
 * `parseInt` per byte: a 256 KiB chunk became a quarter of a million strings, so a 25 MiB
 * upload left hundreds of MB of garbage and the server's RSS rose by tens of MB while it
 * streamed in. Buffer's codec makes the one hex string and the one buffer natively.
 */
const BYTEA = types.BYTEA;
const byteCodecs = {
  serializers: {
    [BYTEA]: (value: unknown) => {
      if (!(value instanceof Uint8Array)) throw new TypeError("bytea takes a Uint8Array");
      return "\\x" + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex");
    },
  },
  parsers: { [BYTEA]: (text: string) => Buffer.from(text.slice(2), "hex") },
};

let db: PGlite;
try {
  db = new PGlite(dataDir, byteCodecs);
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
