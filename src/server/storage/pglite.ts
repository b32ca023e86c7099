/** The embedded backend: PostgreSQL compiled to WebAssembly, files under DATA_DIR. */
import { PGlite } from "@electric-sql/pglite";
import type { SqlDriver, SqlQueryable } from "./driver.ts";

/** Opens PGlite at `dataDir`, or in memory when `dataDir` is undefined. */
export async function openPgliteDriver(dataDir: string | undefined): Promise<SqlDriver> {
  const db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
  await db.waitReady;
  const asQueryable = (target: Pick<PGlite, "query" | "exec">): SqlQueryable => ({
    async query<R>(text: string, params: readonly unknown[] = []) {
      const result = await target.query<R>(text, params as unknown[]);
      return result.rows;
    },
    async exec(script: string) {
      await target.exec(script);
    },
  });
  const root = asQueryable(db);
  let closing: Promise<void> | undefined;
  return {
    kind: "pglite",
    query: root.query,
    exec: root.exec,
    transaction: (work) => db.transaction((tx) => work(asQueryable(tx))),
    close: () => (closing ??= db.close()),
  };
}
