/**
 * Versioned migrations (Umzug), the same SQL files on PGlite and PostgreSQL. They run in one
 * transaction under an advisory lock, so nodes starting together never apply one twice.
 */
import path from "node:path";
import { readFile } from "node:fs/promises";
import { Umzug, type UmzugStorage } from "umzug";
import type { Logger } from "pino";
import type { SqlDriver, SqlQueryable } from "./drivers/driver.ts";

const MIGRATIONS_DIR = path.join(import.meta.dirname, "migrations");

function tableStorage(tx: SqlQueryable): UmzugStorage {
  return {
    async executed() {
      const rows = await tx.query<{ name: string }>(
        "SELECT name FROM schema_migrations ORDER BY name",
      );
      return rows.map((row) => row.name);
    },
    async logMigration({ name }) {
      await tx.query("INSERT INTO schema_migrations (name) VALUES ($1)", [name]);
    },
    async unlogMigration({ name }) {
      await tx.query("DELETE FROM schema_migrations WHERE name = $1", [name]);
    },
  };
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(driver: SqlDriver, log?: Logger): Promise<string[]> {
  return driver.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(4242001)");
    await tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const umzug = new Umzug({
      migrations: {
        glob: ["*.sql", { cwd: MIGRATIONS_DIR }],
        resolve: ({ name, path: file }) => ({
          name,
          up: async () => tx.exec(await readFile(file!, "utf8")),
        }),
      },
      storage: tableStorage(tx),
      logger: undefined,
    });
    const applied = await umzug.up();
    const names = applied.map((migration) => migration.name);
    if (names.length > 0) log?.info({ migrations: names }, "database migrated");
    return names;
  });
}
