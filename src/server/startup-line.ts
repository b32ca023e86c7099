/**
 * The one line a server prints when it is ready: where it listens, which database (the
 * embedded one's folder, or the PostgreSQL host — never the password), and whether Redis
 * makes it one node of many. E.g.
 *   Charla listening on http://127.0.0.1:3000 · database: embedded PGlite in /srv/data/pglite · Redis: off
 */
import type { Config } from "./config.ts";

/** The PostgreSQL or Redis URL without credentials: `host:port/database`. */
function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
}

export function describeDatabase(database: Config["database"]): string {
  if (database.kind === "postgres") return `PostgreSQL at ${where(database.url)}`;
  return database.dataDir ? `embedded PGlite in ${database.dataDir}` : "embedded PGlite in memory";
}

export function startupLine(config: Readonly<Config>, url: string): string {
  const redis = config.redisUrl ? `on (${where(config.redisUrl)}, node ${config.nodeId})` : "off";
  const everywhere = config.host === "0.0.0.0" || config.host === "::" ? " (all interfaces)" : "";
  return `Charla listening on ${url}${everywhere} · database: ${describeDatabase(config.database)} · Redis: ${redis}`;
}
