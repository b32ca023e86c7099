/**
 * Seeded storage for Charla: users registered once through the public API, then cloned for
 * every scenario, so that each scenario starts on fresh storage without paying argon2 again.
 *
 * Registration is deliberately slow (argon2id with its library defaults: about 4 per second
 * on this 2-core machine), so a seed is also kept ACROSS runs, keyed by the migrations, the
 * user count and the room size:
 * - PGlite: a copy of the data directory under `$TMPDIR/charla-bench-seed/<key>/`;
 * - PostgreSQL: a template database `charla_bench_seed_<key>` on the benchmark's server.
 * Tokens are issued with a 30-day TTL and kept beside the seed; a seed older than 20 days,
 * or whose first token the server refuses, is rebuilt. `--fresh-seed` (BENCH_FRESH_SEED=1)
 * rebuilds it unconditionally; `rm -rf $TMPDIR/charla-bench-seed` and dropping the
 * `charla_bench_seed_*` databases removes it.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Options } from "./options.ts";
import { freePort } from "./proc.ts";
import { ServerProcess } from "./servers.ts";
import { makeFixture, type Fixture } from "./setup.ts";

export const TOKEN_TTL_SECONDS = 30 * 86_400;
const MAX_AGE_MS = 20 * 86_400_000;
const CACHE = join(tmpdir(), "charla-bench-seed");

export type Backend = "pglite" | "pg";

interface SeedFile {
  createdAt: string;
  fixture: Fixture;
}

function seedKey(root: string, users: number, room: number): string {
  const h = createHash("sha256");
  const dir = join(root, "src/server/storage/migrations");
  for (const f of existsSync(dir) ? readdirSync(dir).sort() : []) {
    h.update(f).update(readFileSync(join(dir, f)));
  }
  h.update(`${users}/${room}/v1`);
  return h.digest("hex").slice(0, 12);
}

function adminUrl(serverUrl: string, db = "postgres"): string {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

async function pgQuery(serverUrl: string, sql: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: adminUrl(serverUrl) });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A clone of the seed: fresh storage for one server, and the users in it. */
export interface SeedClone {
  fixture: Fixture;
  dataDir?: string;
  databaseUrl?: string;
  dispose(): Promise<void>;
}

export class Seeds {
  private readonly opts: Options;
  private readonly users: number;
  private readonly log: (s: string) => void;
  private readonly ready = new Map<Backend, Promise<SeedFile>>();

  constructor(opts: Options, log: (s: string) => void) {
    this.opts = opts;
    this.log = log;
    const most = Math.max(opts.clients, opts.stormUsers, opts.idleUsers);
    this.users = Math.ceil(most / opts.room) * opts.room;
  }

  private paths(backend: Backend) {
    const key = seedKey(this.opts.charlaRoot, this.users, this.opts.room);
    return {
      key,
      dir: join(CACHE, `${key}-${backend}`),
      json: join(CACHE, `${key}-${backend}.json`),
      template: `charla_bench_seed_${key}`,
    };
  }

  private async load(backend: Backend): Promise<SeedFile | undefined> {
    const p = this.paths(backend);
    if (this.opts.freshSeed || !existsSync(p.json)) return undefined;
    const seed = JSON.parse(readFileSync(p.json, "utf8")) as SeedFile;
    if (Date.now() - Date.parse(seed.createdAt) > MAX_AGE_MS) return undefined;
    if (backend === "pglite" && !existsSync(p.dir)) return undefined;
    if (backend === "pg") {
      const r = await pgQuery(
        this.opts.pgUrl!,
        `select 1 from pg_database where datname = '${p.template}'`,
      );
      if (r.rowCount === 0) return undefined;
    }
    return seed;
  }

  private async build(backend: Backend): Promise<SeedFile> {
    const p = this.paths(backend);
    mkdirSync(CACHE, { recursive: true });
    rmSync(p.dir, { recursive: true, force: true });
    rmSync(p.json, { force: true });
    if (backend === "pg") {
      await pgQuery(this.opts.pgUrl!, `drop database if exists ${p.template} with (force)`);
      await pgQuery(this.opts.pgUrl!, `create database ${p.template}`);
    }
    this.log(
      `seeding ${this.users} users in rooms of ${this.opts.room} on ${backend} (argon2: slow, once; kept in ${backend === "pg" ? p.template : p.dir})`,
    );
    const server = new ServerProcess({
      kind: "charla",
      label: `seed-${backend}`,
      root: this.opts.charlaRoot,
      port: this.opts.portBase === 0 ? await freePort() : this.opts.portBase + 59,
      ...(backend === "pg"
        ? { databaseUrl: adminUrl(this.opts.pgUrl!, p.template) }
        : { dataDir: p.dir }),
      env: { TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS) },
    });
    try {
      await server.start();
      const fixture = await makeFixture("charla", server.url, this.users, this.opts.room, this.log);
      this.log(
        `  seeded in ${fixture.setupSeconds.toFixed(0)} s (${fixture.registerRate?.toFixed(1)} registrations/s)`,
      );
      await server.stop();
      const seed: SeedFile = { createdAt: new Date().toISOString(), fixture };
      writeFileSync(p.json, JSON.stringify(seed));
      return seed;
    } catch (e) {
      await server.stop();
      throw e;
    }
  }

  private seed(backend: Backend, rebuild = false): Promise<SeedFile> {
    let s = rebuild ? undefined : this.ready.get(backend);
    if (!s) {
      s = (async () => (rebuild ? undefined : await this.load(backend)) ?? this.build(backend))();
      this.ready.set(backend, s);
    }
    return s;
  }

  /** Registration rate measured when the seed was built (users per second). */
  async registerRate(backend: Backend): Promise<number | undefined> {
    return (await this.seed(backend)).fixture.registerRate;
  }

  /** Fresh storage holding the seed's first `users` users and their chats. */
  async clone(backend: Backend, users: number, rebuild = false): Promise<SeedClone> {
    const seed = await this.seed(backend, rebuild);
    const p = this.paths(backend);
    const n = Math.min(users, seed.fixture.users.length);
    const fixture: Fixture = {
      users: seed.fixture.users.slice(0, n),
      chats: seed.fixture.chats,
      setupSeconds: 0,
      ...(seed.fixture.registerRate ? { registerRate: seed.fixture.registerRate } : {}),
    };
    if (backend === "pglite") {
      const dataDir = join(tmpdir(), `charla-bench-${randomBytes(4).toString("hex")}`);
      cpSync(p.dir, dataDir, { recursive: true });
      return {
        fixture,
        dataDir,
        async dispose() {
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    const name = `charla_bench_${randomBytes(4).toString("hex")}`;
    const server = this.opts.pgUrl!;
    await pgQuery(server, `create database ${name} template ${p.template}`);
    return {
      fixture,
      databaseUrl: adminUrl(server, name),
      async dispose() {
        await pgQuery(server, `drop database if exists ${name} with (force)`);
      },
    };
  }
}

/** True when the server accepts `token` (a cached seed's tokens may have gone stale). */
export async function tokenAccepted(baseUrl: string, token: string): Promise<boolean> {
  const res = await fetch(`${baseUrl}/api/users/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return res.ok;
}
