/**
 * Prosody (Debian's 0.12) as a server under test: installed with apt-get when missing,
 * configured from `bench/peers/prosody.cfg.lua` under a temporary directory (c2s on a free
 * port of 127.0.0.1, nothing else listening), storing on PostgreSQL through LuaDBI in a
 * database of its own (else in its internal file storage), started in the foreground, and
 * stopped and cleaned away by the benchmark. The packaged daemon is never started.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseUrl, pgAdmin } from "./pg.ts";
import { freePort, hasCommand, installDebianPackages, packageVersion } from "./debian.ts";
import { LOG_DIR, ROOT, procCpuSeconds, sleep, type CpuSample } from "./servers.ts";
import { MUC_DOMAIN, XMPP_DOMAIN as DOMAIN, XMPP_PASSWORD as PASSWORD } from "./xmpp-fixture.ts";

const TEMPLATE = join(ROOT, "bench/peers/prosody.cfg.lua");

export type PeerStorage = "sql" | "internal";

/** Installs prosody (and LuaDBI's PostgreSQL driver for `sql`) when missing, saying so. */
export function ensureProsody(storage: PeerStorage, log: (s: string) => void): void {
  const wanted = ["prosody", ...(storage === "sql" ? ["lua-dbi-postgresql"] : [])];
  const missing = wanted.filter((p) => packageVersion(p) === undefined);
  if (missing.length === 0 && hasCommand("prosody")) return;
  installDebianPackages(missing, log);
}

/** The rendered configuration: the template with this run's directory, port and storage. */
export function renderProsodyConfig(p: {
  dir: string;
  c2sPort: number;
  logFile: string;
  storage: PeerStorage;
  database?: { name: string; host: string; port: number; user: string; password?: string };
}): string {
  const q = (s: string) => JSON.stringify(s); // a Lua string literal for these characters
  const storage =
    p.storage === "sql" && p.database
      ? [
          'storage = "sql"',
          `sql = { driver = "PostgreSQL", database = ${q(p.database.name)}, host = ${q(p.database.host)}, ` +
            `port = ${p.database.port}, username = ${q(p.database.user)}` +
            `${p.database.password ? `, password = ${q(p.database.password)}` : ""} }`,
        ].join("\n")
      : 'storage = "internal"';
  const values: Record<string, string> = {
    dir: p.dir,
    c2sPort: String(p.c2sPort),
    logFile: p.logFile,
    domain: DOMAIN,
    mucDomain: MUC_DOMAIN,
    storage,
  };
  return readFileSync(TEMPLATE, "utf8").replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    const v = values[k];
    if (v === undefined) throw new Error(`prosody template: unknown {{${k}}}`);
    return v;
  });
}

export function waitListening(port: number, timeoutMs: number, exited: () => string | undefined) {
  const deadline = Date.now() + timeoutMs;
  return (async () => {
    while (Date.now() < deadline) {
      const why = exited();
      if (why !== undefined) throw new Error(why);
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(port, "127.0.0.1");
        s.once("connect", () => (s.destroy(), resolve(true)));
        s.once("error", () => resolve(false));
      });
      if (ok) return;
      await sleep(50);
    }
    throw new Error(`prosody not listening on ${port} after ${timeoutMs} ms`);
  })();
}

export interface ProsodyOptions {
  users: number;
  room: number;
  storage: PeerStorage;
  /** PostgreSQL server for `sql` storage: a fresh database is created on it and dropped. */
  pgUrl: string | undefined;
  log: (s: string) => void;
}

export class ProsodyServer {
  readonly label = "prosody";
  readonly opts: ProsodyOptions;
  port = 0;
  version = packageVersion("prosody") ?? "n/a";
  storageUsed: string = "";
  config = "";
  private dir: string | undefined;
  private database: string | undefined;
  private child: ChildProcess | undefined;

  constructor(opts: ProsodyOptions) {
    this.opts = opts;
  }

  get pid(): number {
    if (!this.child?.pid) throw new Error("prosody is not running");
    return this.child.pid;
  }

  /** Writes the config, creates the accounts, starts Prosody; ms until c2s accepts. */
  async start(): Promise<{ startMs: number; setupSeconds: number }> {
    const t0 = performance.now();
    const { storage, pgUrl, users, log } = this.opts;
    this.dir = await mkdtemp(join(tmpdir(), "charla-bench-prosody-"));
    mkdirSync(join(this.dir, "data"), { recursive: true });
    mkdirSync(join(this.dir, "certs"), { recursive: true });
    this.port = await freePort();
    mkdirSync(LOG_DIR, { recursive: true });
    const logFile = join(LOG_DIR, `prosody-${this.port}.log`);
    let database: Parameters<typeof renderProsodyConfig>[0]["database"];
    if (storage === "sql") {
      if (!pgUrl) throw new Error("prosody sql storage needs PostgreSQL (--pg-url)");
      const u = new URL(pgUrl);
      this.database = `charla_bench_prosody_${randomBytes(4).toString("hex")}`;
      await pgAdmin(pgUrl, `create database ${this.database}`);
      database = {
        name: this.database,
        host: u.hostname,
        port: Number(u.port || 5432),
        user: decodeURIComponent(u.username || "postgres"),
        ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      };
    }
    this.config = renderProsodyConfig({
      dir: this.dir,
      c2sPort: this.port,
      logFile,
      storage,
      ...(database ? { database } : {}),
    });
    const configFile = join(this.dir, "prosody.cfg.lua");
    writeFileSync(configFile, this.config);
    this.storageUsed =
      storage === "sql"
        ? `PostgreSQL via LuaDBI (lua-dbi-postgresql ${packageVersion("lua-dbi-postgresql") ?? "?"})`
        : "internal (files)";
    await this.createAccounts(configFile, users);
    const setupSeconds = (performance.now() - t0) / 1000;
    log(
      `prosody ${this.version}: ${users} accounts in ${setupSeconds.toFixed(1)} s, storage ${this.storageUsed}`,
    );

    const t1 = performance.now();
    let tail = "";
    const child = spawn("prosody", ["--config", configFile, "-F"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    for (const s of [child.stdout, child.stderr]) {
      s?.setEncoding("utf8");
      s?.on("data", (d: string) => {
        // PostgreSQL's NOTICEs about tables that already exist are not findings.
        tail = (tail + d.replace(/^NOTICE:.*\n/gm, "")).slice(-4000);
      });
    }
    live.add(child);
    child.once("exit", () => live.delete(child));
    await waitListening(this.port, 30_000, () =>
      child.exitCode !== null || child.signalCode !== null
        ? `prosody exited (${child.exitCode ?? child.signalCode}):\n${tail}\n${readTail(logFile)}`
        : undefined,
    );
    return { startMs: performance.now() - t1, setupSeconds };
  }

  /**
   * One account with prosodyctl (so its stored form is Prosody's own), then the rest as
   * copies of it: prosodyctl starts a Lua process per account (~0.15 s each), which for
   * thousands of accounts would take minutes.
   */
  private async createAccounts(configFile: string, users: number): Promise<void> {
    execFileSync("prosodyctl", ["--config", configFile, "register", "u0", DOMAIN, PASSWORD], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    if (users <= 1) return;
    if (this.database) {
      const c = new pg.Client({ connectionString: databaseUrl(this.opts.pgUrl!, this.database) });
      await c.connect();
      try {
        const r = await c.query(
          `insert into prosody (host, "user", store, key, type, value)
           select p.host, 'u' || g, p.store, p.key, p.type, p.value
           from prosody p, generate_series(1, $1::int - 1) g
           where p.host = $2 and p."user" = 'u0' and p.store = 'accounts'`,
          [users, DOMAIN],
        );
        if (r.rowCount !== users - 1) throw new Error(`prosody accounts: ${r.rowCount} copied`);
      } finally {
        await c.end();
      }
      return;
    }
    const accounts = join(this.dir!, "data", DOMAIN.replace(/\./g, "%2e"), "accounts");
    const first = join(accounts, "u0.dat");
    if (!existsSync(first)) throw new Error(`prosody accounts: ${first} not written`);
    for (let i = 1; i < users; i++) copyFileSync(first, join(accounts, `u${i}.dat`));
    chmodSync(accounts, 0o750);
  }

  cpu(): CpuSample {
    return { seconds: procCpuSeconds(this.pid), at: performance.now() };
  }

  rss(): number {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  }

  /** SIGTERM (Prosody closes its sessions and storage), SIGKILL after 10 s; then cleanup. */
  async dispose(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    }
    if (this.database) {
      await pgAdmin(this.opts.pgUrl!, `drop database if exists ${this.database} with (force)`);
      this.database = undefined;
    }
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/** Every Prosody still running, killed if the orchestrator exits early. */
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

function readTail(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-2000);
  } catch {
    return "";
  }
}
