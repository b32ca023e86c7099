/** Messages between the main thread (pglite.ts) and the database thread (pglite-worker.ts). */
export type WorkerCommand =
  | { op: "query"; text: string; params: readonly unknown[] }
  | { op: "exec"; text: string }
  | { op: "close" };

/** A command as posted: numbered, so that its reply finds its caller. */
export type WorkerRequest = WorkerCommand & { id: number };

/** An error as it crosses threads: its message and PostgreSQL's fields (code, detail…). */
export type WorkerFailure = { message: string } & Record<string, string>;

/**
 * A query's rows as they cross threads: the column names once and each row as an array of
 * values, not one object per row repeating every name (fewer, smaller objects to build in
 * the database thread and to copy between threads; pglite.ts names them again).
 */
export interface WorkerRows {
  columns: string[];
  rows: unknown[][];
}

/** Reply 0 says the database opened (or why it did not). */
export type WorkerReply =
  { id: number; ok: true; result?: WorkerRows } | { id: number; ok: false; error: WorkerFailure };
