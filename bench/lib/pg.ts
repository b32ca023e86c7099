/** A fresh PostgreSQL database per run (`charla_bench_<random>`), dropped afterwards. */
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

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

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `charla_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl(serverUrl) });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl(serverUrl) });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
