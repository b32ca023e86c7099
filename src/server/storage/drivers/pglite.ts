/**
 * The embedded backend: PostgreSQL compiled to WebAssembly, files under DATA_DIR. It runs on
 * its own thread (pglite-worker.ts) so that queries, which execute synchronously, do not stop
 * the sockets; this side turns calls into messages and keeps transactions whole.
 */
import { Worker } from "node:worker_threads";
import { Mutex } from "@electric-sql/pglite";
import type { Logger } from "pino";
import type { SqlDriver, SqlQueryable } from "./driver.ts";
import type { WorkerCommand, WorkerFailure, WorkerReply, WorkerRows } from "./pglite-protocol.ts";

// Compiled (dist/server, `npm start`) the thread runs its JavaScript directly. From source
// (tests, tsx) Node does not carry tsx's loader into worker threads, so the thread registers
// it before it loads the TypeScript module. No other flag is passed on (a profiler preload, say).
const COMPILED = import.meta.url.endsWith(".js");
function workerEntry(): URL {
  const module = new URL(COMPILED ? "./pglite-worker.js" : "./pglite-worker.ts", import.meta.url);
  if (COMPILED) return module;
  const bootstrap =
    `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};` +
    `register(); await import(${JSON.stringify(module.href)});`;
  return new URL("data:text/javascript," + encodeURIComponent(bootstrap));
}

/** Rebuilt on this side with the fields callers test (`code` for SQLSTATE, `constraint`…). */
function toError(failure: WorkerFailure): Error {
  const { message, ...fields } = failure;
  return Object.assign(new Error(message), fields);
}

/**
 * The rows as objects keyed by column name, as PGlite (and node-postgres) return them: a
 * later column of the same name wins, as it does there (`SELECT m.*, x.id`).
 */
function toObjects({ columns, rows }: WorkerRows): Record<string, unknown>[] {
  const objects = new Array<Record<string, unknown>>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const values = rows[r]!;
    const object: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) object[columns[c]!] = values[c];
    objects[r] = object;
  }
  return objects;
}

/** Opens PGlite at `dataDir`, or in memory when `dataDir` is undefined. */
export async function openPgliteDriver(
  dataDir: string | undefined,
  log?: Logger,
): Promise<SqlDriver> {
  const worker = new Worker(workerEntry(), { execArgv: [], workerData: { dataDir } });
  const pending = new Map<
    number,
    { resolve: (result: WorkerRows | undefined) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  // Set once the database is closed or its thread is gone; every later call fails with it.
  // isConnectionError() reads "PGlite is closed" as UNAVAILABLE.
  let gone: Error | undefined;

  const opened = new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });
  worker.on("message", (reply: WorkerReply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(toError(reply.error));
    // An idle database thread must not keep the process alive; a busy one must.
    if (pending.size === 0) worker.unref();
  });
  const fail = (reason: string) => {
    gone ??= new Error(`PGlite is closed (${reason})`);
    for (const waiting of pending.values()) waiting.reject(gone);
    pending.clear();
  };
  worker.on("error", (error) => {
    if (!gone)
      log?.error({ err: error }, "embedded database thread failed; requests answer UNAVAILABLE");
    fail(`database thread failed: ${error.message}`);
  });
  worker.on("exit", (code) => {
    if (!gone) log?.error({ code }, "embedded database thread exited; requests answer UNAVAILABLE");
    fail(`database thread exited with code ${code}`);
  });

  const call = (command: WorkerCommand): Promise<WorkerRows | undefined> => {
    if (gone) return Promise.reject(gone);
    const id = nextId++;
    const reply = new Promise<WorkerRows | undefined>((resolve, reject) =>
      pending.set(id, { resolve, reject }),
    );
    worker.ref();
    worker.postMessage({ ...command, id });
    return reply;
  };

  try {
    await opened;
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  const inTransaction: SqlQueryable = {
    query: async <R>(text: string, params: readonly unknown[] = []) => {
      const result = await call({ op: "query", text, params });
      return (result ? toObjects(result) : []) as R[];
    },
    exec: async (text: string) => {
      await call({ op: "exec", text });
    },
  };
  // One session serves everyone: while a transaction is open, other statements wait, or they
  // would run inside it. Outside transactions they are sent at once and run in order.
  const transactions = new Mutex();
  const outside = async <T>(send: () => Promise<T>): Promise<T> => {
    while (transactions.isLocked()) await transactions.waitForUnlock();
    return send();
  };

  let closing: Promise<void> | undefined;
  return {
    query: (text, params) => outside(() => inTransaction.query(text, params)),
    exec: (text) => outside(() => inTransaction.exec(text)),
    transaction: (work) =>
      transactions.runExclusive(async () => {
        await inTransaction.exec("BEGIN");
        try {
          const result = await work(inTransaction);
          await inTransaction.exec("COMMIT");
          return result;
        } catch (error) {
          await inTransaction.exec("ROLLBACK").catch(() => {});
          throw error;
        }
      }),
    close: () =>
      (closing ??= (async () => {
        await transactions.waitForUnlock();
        await call({ op: "close" }).catch(() => {});
        fail("closed");
        await worker.terminate();
      })()),
  };
}
