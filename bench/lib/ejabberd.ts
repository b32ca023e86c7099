/**
 * ejabberd (Debian's 23.01) as a server under test: installed with apt-get when missing
 * (with `erlang-p1-pgsql`), configured from `bench/peers/ejabberd.yml` under a temporary
 * directory (c2s on a free port of 127.0.0.1, nothing else listening), storing users, rooms
 * and the MUC archive (mod_mam) on PostgreSQL in a database of its own, loaded with
 * ejabberd's own schema (`/usr/share/ejabberd/sql/pg.sql`). Started in the foreground
 * through `ejabberdctl`, as the `ejabberd` user, under a node name of its own, and stopped
 * by the benchmark; the packaged service is never started.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { databaseUrl, pgAdmin } from "./pg.ts";
import { freePort, installDebianPackages, packageVersion } from "./debian.ts";
import { processTree, rssBytes, treeCpuSeconds } from "./proc.ts";
import { waitListening } from "./prosody.ts";
import { LOG_DIR, ROOT, sleep, type CpuSample } from "./servers.ts";
import { MUC_DOMAIN, XMPP_DOMAIN, XMPP_PASSWORD, xmppUser } from "./xmpp-fixture.ts";

const TEMPLATE = join(ROOT, "bench/peers/ejabberd.yml");
const SCHEMA = "/usr/share/ejabberd/sql/pg.sql";
const USER = "ejabberd";

/** Installs ejabberd and its PostgreSQL driver when missing, saying so. */
export function ensureEjabberd(log: (s: string) => void): void {
  const missing = ["ejabberd", "erlang-p1-pgsql"].filter((p) => packageVersion(p) === undefined);
  installDebianPackages(missing, log);
}

export interface EjabberdDatabase {
  name: string;
  host: string;
  port: number;
  user: string;
  password?: string;
}

/** The rendered configuration: the template with this run's port and database. */
export function renderEjabberdConfig(p: { c2sPort: number; database: EjabberdDatabase }): string {
  const q = (s: string) => JSON.stringify(s); // a YAML double-quoted string
  const storage = [
    "default_db: sql",
    "sql_type: pgsql",
    `sql_server: ${q(p.database.host)}`,
    `sql_port: ${p.database.port}`,
    `sql_database: ${q(p.database.name)}`,
    `sql_username: ${q(p.database.user)}`,
    `sql_password: ${q(p.database.password ?? "")}`,
    "sql_pool_size: 10",
  ].join("\n");
  const values: Record<string, string> = {
    c2sPort: String(p.c2sPort),
    domain: XMPP_DOMAIN,
    mucDomain: MUC_DOMAIN,
    authMethod: "sql",
    storage,
  };
  return readFileSync(TEMPLATE, "utf8").replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    const v = values[k];
    if (v === undefined) throw new Error(`ejabberd template: unknown {{${k}}}`);
    return v;
  });
}

export interface EjabberdOptions {
  users: number;
  pgUrl: string | undefined;
  log: (s: string) => void;
}

export class EjabberdServer {
  readonly label = "ejabberd";
  readonly opts: EjabberdOptions;
  port = 0;
  version = packageVersion("ejabberd") ?? "n/a";
  storageUsed = "";
  config = "";
  private dir: string | undefined;
  private node = "";
  private database: string | undefined;
  private child: ChildProcess | undefined;
  /** The Erlang VM's processes (beam.smp and its helpers), found once it listens. */
  private pids: number[] = [];
  private user = { uid: 0, gid: 0 };

  constructor(opts: EjabberdOptions) {
    this.opts = opts;
  }

  private ctl(args: string[]): string[] {
    const d = this.dir!;
    return [
      "--config-dir",
      d,
      "--config",
      join(d, "ejabberd.yml"),
      "--spool",
      join(d, "spool"),
      "--logs",
      join(d, "logs"),
      "--node",
      this.node,
      ...args,
    ];
  }

  async start(): Promise<{ startMs: number; setupSeconds: number }> {
    const t0 = performance.now();
    const { pgUrl, users, log } = this.opts;
    if (!pgUrl) throw new Error("ejabberd runs on PostgreSQL here (--pg-url)");
    this.dir = await mkdtemp(join(tmpdir(), "charla-bench-ejabberd-"));
    for (const sub of ["spool", "logs"]) mkdirSync(join(this.dir, sub));
    this.port = await freePort();
    this.node = `charlabench${this.port}@localhost`;
    const u = new URL(pgUrl);
    this.database = `charla_bench_ejabberd_${randomBytes(4).toString("hex")}`;
    await pgAdmin(pgUrl, `create database ${this.database}`);
    const c = new pg.Client({ connectionString: databaseUrl(pgUrl, this.database) });
    await c.connect();
    try {
      await c.query(readFileSync(SCHEMA, "utf8"));
      // The `users` table of ejabberd's schema, PLAIN passwords (auth_password_format: plain):
      // one statement instead of `ejabberdctl register` (an Erlang node per call) per user.
      await c.query(
        `insert into users (username, password) select 'u' || g, $1 from generate_series(0, $2::int - 1) g`,
        [XMPP_PASSWORD, users],
      );
    } finally {
      await c.end();
    }
    this.config = renderEjabberdConfig({
      c2sPort: this.port,
      database: {
        name: this.database,
        host: u.hostname,
        port: Number(u.port || 5432),
        user: decodeURIComponent(u.username || "postgres"),
        ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      },
    });
    writeFileSync(join(this.dir, "ejabberd.yml"), this.config);
    writeFileSync(join(this.dir, "inetrc"), readFileSync("/etc/ejabberd/inetrc"));
    // The VM runs as the ejabberd user, which must own its directories.
    this.user = {
      uid: Number(execFileSync("id", ["-u", USER]).toString()),
      gid: Number(execFileSync("id", ["-g", USER]).toString()),
    };
    for (const p of ["", "spool", "logs", "ejabberd.yml", "inetrc"]) {
      chownSync(join(this.dir, p), this.user.uid, this.user.gid);
    }
    this.storageUsed = `PostgreSQL (erlang-p1-pgsql ${packageVersion("erlang-p1-pgsql") ?? "?"}), mnesia for room state in memory`;
    const setupSeconds = (performance.now() - t0) / 1000;
    log(
      `ejabberd ${this.version}: ${users} accounts in ${setupSeconds.toFixed(1)} s (${xmppUser(0)}…)`,
    );

    const t1 = performance.now();
    let tail = "";
    const child = spawn("ejabberdctl", this.ctl(["foreground"]), {
      ...this.asEjabberd(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    live.add(this);
    // The VM's console (crash reports, "eheap_alloc" and the like) is kept for diagnosis.
    mkdirSync(LOG_DIR, { recursive: true });
    const consoleLog = createWriteStream(join(LOG_DIR, `ejabberd-${this.port}.console.log`));
    child.once("exit", () => consoleLog.end());
    for (const s of [child.stdout, child.stderr]) {
      s?.setEncoding("utf8");
      s?.on("data", (d: string) => {
        consoleLog.write(d);
        tail = (tail + d).slice(-4000);
      });
    }
    await waitListening(this.port, 60_000, () =>
      child.exitCode !== null || child.signalCode !== null
        ? `ejabberd exited (${child.exitCode ?? child.signalCode}):\n${tail}\n${readTail(join(this.dir!, "logs", "ejabberd.log"))}`
        : undefined,
    );
    // The port opens before every module has started (rooms refused joins then, once).
    const ready = Date.now() + 60_000;
    while (spawnSync("ejabberdctl", this.ctl(["status"]), this.asEjabberd()).status !== 0) {
      if (Date.now() > ready) throw new Error(`ejabberd not started after 60 s:\n${tail}`);
      await sleep(1000);
    }
    this.pids = processTree(child.pid!);
    return { startMs: performance.now() - t1, setupSeconds };
  }

  /**
   * Started as the ejabberd user directly rather than through ejabberdctl's `su`, which
   * would reset the descriptor limit to PAM's 1024 ("Failed TCP accept: too many open
   * files" past ~1000 clients); the VM gets the benchmark's limit, as Charla and Prosody do.
   */
  private asEjabberd() {
    return {
      uid: this.user.uid,
      gid: this.user.gid,
      env: { ...process.env, HOME: "/var/lib/ejabberd", USER, LOGNAME: USER },
    };
  }

  cpu(): CpuSample {
    return { seconds: treeCpuSeconds(this.pids), at: performance.now() };
  }

  rss(): number {
    return this.pids.reduce((s, p) => s + rssBytes(p), 0);
  }

  /** `ejabberdctl stop` (a clean shutdown), the VM killed after 15 s; then cleanup. */
  async dispose(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((r) => child.once("exit", () => r()));
      try {
        execFileSync("ejabberdctl", this.ctl(["stop"]), {
          ...this.asEjabberd(),
          stdio: "ignore",
          timeout: 15_000,
        });
      } catch {
        // killed below
      }
      const timer = setTimeout(() => this.kill(), 15_000);
      await gone;
      clearTimeout(timer);
    }
    this.kill();
    live.delete(this);
    if (this.database) {
      await pgAdmin(this.opts.pgUrl!, `drop database if exists ${this.database} with (force)`);
      this.database = undefined;
    }
    if (this.dir) {
      for (const f of ["ejabberd.log", "error.log", "crash.log"]) {
        const text = readTail(join(this.dir, "logs", f));
        if (text) writeFileSync(join(LOG_DIR, `ejabberd-${this.port}.${f}`), text);
      }
      await rm(this.dir, { recursive: true, force: true });
    }
    this.dir = undefined;
  }

  /** SIGKILL to every process of the VM still there (they run as another user, via su). */
  kill(): void {
    for (const p of this.pids) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        // gone already
      }
    }
  }
}

/** Every ejabberd still running, killed if the orchestrator exits early. */
const live = new Set<EjabberdServer>();
process.on("exit", () => {
  for (const s of live) s.kill();
});

function readTail(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-4000);
  } catch {
    return "";
  }
}
