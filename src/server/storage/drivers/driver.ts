/**
 * What a backend provides: plain SQL with positional parameters, and transactions.
 * PGlite and node-postgres both speak PostgreSQL, so the SQL above this (storage/sql/) is
 * shared. Errors come out as the driver threw them; `withStoreUnavailable` and the entity
 * stores turn them into the store's own (../errors.ts).
 */
import { StoreUnavailable } from "../errors.ts";

export interface SqlQueryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlDriver extends SqlQueryable {
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL SQLSTATE codes the store reacts to. */
export const SQLSTATE = {
  uniqueViolation: "23505",
  deadlockDetected: "40P01",
  invalidTextRepresentation: "22P02",
} as const;

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** True when a row broke the named unique constraint (or index). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return (
    sqlState(error) === SQLSTATE.uniqueViolation &&
    (error as { constraint?: unknown }).constraint === constraint
  );
}

/**
 * True when the database could not be reached or went away mid-query (restart, network):
 * the caller answers UNAVAILABLE and nothing is acknowledged.
 */
export function isConnectionError(error: unknown): boolean {
  const code = sqlState(error);
  if (code !== undefined) {
    // Class 08 connection exceptions, 57P0x operator intervention (shutdown), 53300 too many connections.
    if (code.startsWith("08") || code.startsWith("57P") || code === "53300") return true;
    if (
      ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH"].includes(
        code,
      )
    ) {
      return true;
    }
  }
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Cannot use a pool after calling end|PGlite is closed/i.test(
    message,
  );
}

/**
 * The driver, with every failure to reach the database turned into StoreUnavailable, so that
 * callers above storage/ answer UNAVAILABLE without knowing how each driver says it. Inside a
 * transaction the driver still sees its own errors (it decides whether to keep the
 * connection); the whole transaction's failure is translated on the way out.
 */
export function withStoreUnavailable(driver: SqlDriver): SqlDriver {
  const translate = (error: unknown): never => {
    throw isConnectionError(error) ? new StoreUnavailable(error) : error;
  };
  return {
    query: <R>(text: string, params?: readonly unknown[]) =>
      driver.query<R>(text, params).catch(translate),
    exec: (script) => driver.exec(script).catch(translate),
    transaction: (work) => driver.transaction(work).catch(translate),
    close: () => driver.close(),
  };
}

/**
 * The driver, telling `onQuery` of every statement it runs (transactions' included): a test
 * seam (AppOptions.testHooks.onQuery) to count what a request costs the database.
 */
export function observedDriver(driver: SqlDriver, onQuery: (text: string) => void): SqlDriver {
  const observed = (target: SqlQueryable): SqlQueryable => ({
    query: (text, params) => {
      onQuery(text);
      return target.query(text, params);
    },
    exec: (script) => {
      onQuery(script);
      return target.exec(script);
    },
  });
  return {
    ...observed(driver),
    transaction: (work) => driver.transaction((tx) => work(observed(tx))),
    close: () => driver.close(),
  };
}
