/** The servers a scenario can run against, each started fresh and torn down after use. */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Options } from "./options.ts";
import { tokenAccepted, TOKEN_TTL_SECONDS, type Seeds } from "./seed.ts";
import { freePort } from "./proc.ts";
import { ServerProcess, type ServerKind } from "./servers.ts";
import { makeFixture, type Fixture } from "./setup.ts";

/**
 * `…-nosearch`: Charla with SEARCH_INDEXING=off (messages are never indexed for search), to
 * measure what the index costs the send path.
 */
export type Target =
  | "baseline"
  | "baseline-lean"
  | "charla-pglite"
  | "charla-pg"
  | "charla-pglite-nosearch"
  | "charla-pg-nosearch";

/** The same Charla not indexing for search (`--servers charla-nosearch`). */
export function withoutSearchIndex(target: "charla-pglite" | "charla-pg"): Target {
  return `${target}-nosearch`;
}

export function kindOf(target: Target): ServerKind {
  return target.startsWith("baseline") ? "baseline" : "charla";
}

let portOffset = 0;

/**
 * Starts `target` on fresh storage (a clone of the seed for Charla), with `users` users in
 * rooms of `opts.room`, runs `fn`, then stops the server and removes its storage whatever
 * happened. `env` adds to Charla's environment (e.g. WEBHOOK_ALLOW_PRIVATE for a receiver
 * on this machine).
 */
export async function withServer<T>(
  opts: Options,
  seeds: Seeds,
  target: Target,
  profileTag: string,
  users: number,
  fn: (server: ServerProcess, startMs: number, fixture: Fixture) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  let cpuProfDir: string | undefined;
  if (opts.cpuProf) {
    cpuProfDir = resolve(opts.out, "profiles", `${opts.stamp}-${profileTag}-${target}`);
    mkdirSync(cpuProfDir, { recursive: true });
  }
  const port = opts.portBase === 0 ? await freePort() : opts.portBase + (portOffset++ % 50);
  if (kindOf(target) === "baseline") {
    const server = new ServerProcess({
      kind: "baseline",
      label: target,
      port,
      ...(cpuProfDir ? { cpuProfDir } : {}),
      ...(target === "baseline-lean" ? { env: { BASELINE_RELEASE_REQUEST: "1" } } : {}),
    });
    try {
      const startMs = await server.start();
      return await fn(server, startMs, await makeFixture("baseline", server.url, users, opts.room));
    } finally {
      await server.dispose();
    }
  }
  const backend = target.startsWith("charla-pg-") || target === "charla-pg" ? "pg" : "pglite";
  for (let attempt = 0; ; attempt++) {
    const clone = await seeds.clone(backend, users, attempt > 0);
    const server = new ServerProcess({
      kind: "charla",
      label: target,
      root: opts.charlaRoot,
      port,
      ...(clone.dataDir ? { dataDir: clone.dataDir } : {}),
      ...(clone.databaseUrl ? { databaseUrl: clone.databaseUrl } : {}),
      ...(cpuProfDir ? { cpuProfDir } : {}),
      env: {
        TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
        ...(target.endsWith("-nosearch") ? { SEARCH_INDEXING: "off" } : {}),
        ...env,
      },
    });
    try {
      const startMs = await server.start();
      if (!(await tokenAccepted(server.url, clone.fixture.users[0]!.token))) {
        if (attempt > 0) throw new Error(`${target}: the freshly seeded tokens are refused`);
        console.warn(`${target}: the cached seed's tokens are refused; seeding again`);
        continue;
      }
      return await fn(server, startMs, clone.fixture);
    } finally {
      await server.dispose();
      await clone.dispose().catch((e: unknown) => console.error(`cleanup ${target}: ${e}`));
    }
  }
}
