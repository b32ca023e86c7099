/** PostgreSQL helpers (the seeded template databases live in seed.ts). */
import pg from "pg";

/** The maintenance URL: the given server, database `postgres`. */
function adminUrl(serverUrl: string): string {
  const u = new URL(serverUrl);
  u.pathname = "/postgres";
  return u.toString();
}

/** True when a PostgreSQL server answers at `serverUrl`. */
export async function pgReachable(serverUrl: string): Promise<boolean> {
  const client = new pg.Client({
    connectionString: adminUrl(serverUrl),
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `serverUrl` with its database set to `db`. */
export function databaseUrl(serverUrl: string, db: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

/** One statement on the server's maintenance database (create/drop database). */
export async function pgAdmin(serverUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl(serverUrl) });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
