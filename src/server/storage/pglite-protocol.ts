/** Messages between the main thread (pglite.ts) and the database thread (pglite-worker.ts). */
export type WorkerRequest =
  | { id: number; op: "query"; text: string; params: readonly unknown[] }
  | { id: number; op: "exec"; text: string }
  | { id: number; op: "close" };

/** An error as it crosses threads: its message and PostgreSQL's fields (code, detail…). */
export type WorkerFailure = { message: string } & Record<string, string>;

/** Reply 0 says the database opened (or why it did not). */
export type WorkerReply =
  { id: number; ok: true; rows?: unknown[] } | { id: number; ok: false; error: WorkerFailure };
