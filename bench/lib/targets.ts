/** The servers a scenario can run against, each started fresh and torn down after use. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Options } from "./options.ts";
import { createBenchDatabase } from "./pg.ts";
import { ServerProcess, type ServerKind } from "./servers.ts";

export type Target = "baseline" | "baseline-lean" | "charla-pglite" | "charla-pg";

export function kindOf(target: Target): ServerKind {
  return target.startsWith("baseline") ? "baseline" : "charla";
}

let portOffset = 0;

/**
 * Starts `target` on fresh storage (a temporary DATA_DIR, or a new PostgreSQL database),
 * runs `fn`, then stops the server and removes its storage whatever happened.
 */
export async function withServer<T>(
  opts: Options,
  target: Target,
  profileTag: string,
  fn: (server: ServerProcess, startMs: number) => Promise<T>,
): Promise<T> {
  const db = target === "charla-pg" ? await createBenchDatabase(opts.pgUrl!) : undefined;
  let cpuProfDir: string | undefined;
  if (opts.cpuProf) {
    cpuProfDir = join(opts.out, "profiles", `${profileTag}-${target}`);
    mkdirSync(cpuProfDir, { recursive: true });
  }
  const server = new ServerProcess({
    kind: kindOf(target),
    label: target,
    port: opts.portBase + (portOffset++ % 50),
    ...(db ? { databaseUrl: db.url } : {}),
    ...(cpuProfDir ? { cpuProfDir } : {}),
    ...(target === "baseline-lean" ? { env: { BASELINE_RELEASE_REQUEST: "1" } } : {}),
  });
  try {
    const startMs = await server.start();
    return await fn(server, startMs);
  } finally {
    await server.dispose();
    await db?.drop().catch((e: unknown) => console.error(`could not drop ${db.name}: ${e}`));
  }
}
