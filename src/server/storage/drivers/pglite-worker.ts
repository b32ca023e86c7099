/**
 * The embedded database's own thread. PGlite runs PostgreSQL as WebAssembly, synchronously:
 * on the main thread every query stopped the sockets (64 % of the server's CPU at 1000 msg/s
 * in the benchmark). Here it runs beside them. Requests arrive in order and are answered in
 * order; the main thread (pglite.ts) keeps transactions from interleaving.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
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

let db: PGlite;
try {
  db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
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
        const result = await db.query(request.text, request.params as unknown[]);
        return { id: request.id, ok: true, rows: result.rows };
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
