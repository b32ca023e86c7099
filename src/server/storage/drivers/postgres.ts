/** The server backend: a node-postgres pool on DATABASE_URL. */
import pg from "pg";
import type { Logger } from "pino";
import type { SqlDriver, SqlQueryable } from "./driver.ts";

export async function openPostgresDriver(
  url: string,
  poolSize: number,
  log: Logger,
): Promise<SqlDriver> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Fail fast while PostgreSQL is down so sends answer UNAVAILABLE instead of hanging.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // JIT compiles a query whose estimated cost is high: the chat list of a user in thousands
    // of chats is such a query, yet it runs in milliseconds, and compiling took longer (40 ms
    // of 70, docs/benchmarks.md "History and sync at size"). Nothing here runs long enough to gain.
    options: "-c jit=off",
  });
  // An idle client losing its connection (server restart) must not crash the process;
  // the pool drops it and opens a fresh one on the next query.
  pool.on("error", (error) =>
    log.warn({ err: error }, "PostgreSQL connection lost; the pool will reconnect"),
  );
  const query: SqlQueryable["query"] = async (text, params = []) => {
    const result = await pool.query(text, params as unknown[]);
    return result.rows;
  };
  // Without parameters node-postgres uses the simple protocol, which runs several statements.
  const exec = async (script: string) => {
    await pool.query(script);
  };
  await query("SELECT 1");
  let closing: Promise<void> | undefined;
  return {
    query,
    exec,
    async transaction(work) {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query("BEGIN");
        const result = await work({
          query: async (text, params = []) => (await client.query(text, params as unknown[])).rows,
          exec: async (script) => {
            await client.query(script);
          },
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        broken = error;
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        // A client whose connection failed is destroyed rather than returned to the pool.
        client.release(broken instanceof Error && !("code" in broken) ? broken : undefined);
      }
    },
    close: () => (closing ??= pool.end()),
  };
}
