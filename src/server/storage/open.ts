/** Picks the backend from the configuration, opens it and brings the schema up to date. */
import { mkdir } from "node:fs/promises";
import type { Logger } from "pino";
import type { DatabaseConfig } from "../config.ts";
import { observedDriver, type SqlDriver } from "./drivers/driver.ts";
import { openPgliteDriver } from "./drivers/pglite.ts";
import { openPostgresDriver } from "./drivers/postgres.ts";
import { migrate } from "./migrate.ts";
import { createSqlStore, type SqlStoreOptions } from "./sql/sql-store.ts";
import type { Store } from "./store.ts";

export async function openDriver(database: DatabaseConfig, log: Logger): Promise<SqlDriver> {
  if (database.kind === "postgres") return openPostgresDriver(database.url, database.poolSize, log);
  if (database.dataDir !== undefined) await mkdir(database.dataDir, { recursive: true });
  return openPgliteDriver(database.dataDir, log);
}

export interface OpenStoreOptions extends SqlStoreOptions {
  /** Hears of every statement the store runs after migrating (a test seam). */
  onQuery?: ((text: string) => void) | undefined;
}

export async function openStore(
  database: DatabaseConfig,
  log: Logger,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const driver = await openDriver(database, log);
  try {
    await migrate(driver, log);
  } catch (error) {
    await driver.close();
    throw error;
  }
  const { onQuery, ...storeOptions } = options;
  return createSqlStore(onQuery ? observedDriver(driver, onQuery) : driver, storeOptions);
}
