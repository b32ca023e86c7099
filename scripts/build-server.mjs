/**
 * Compiles the server to plain JavaScript (dist/server) so production runs without a
 * TypeScript loader: first @charla/protocol (its dist/ is what Node resolves the package to
 * without the `source` condition), then src/server, then the SQL migrations beside it.
 *
 * `node scripts/build-server.mjs` builds; with `--if-stale` it builds only when a source file,
 * a tsconfig or the lockfile is newer than the last build, which is what `npm start` runs, so
 * the one command keeps working after an edit or a `git pull`. Plain JavaScript on purpose: it
 * runs before anything can load TypeScript.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const stamp = path.join(root, "dist/server/.built");
const inputs = [
  "src/server",
  "packages/protocol/src",
  "tsconfig.json",
  "tsconfig.server.json",
  "packages/protocol/tsconfig.build.json",
  "package-lock.json",
];

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder's mtime
  for (const name of readdirSync(full, { recursive: true, encoding: "utf8" })) {
    newest = Math.max(newest, statSync(path.join(full, name)).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return inputs.some((entry) => newestMtime(entry) > built);
}

function findTsc() {
  try {
    return createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    return undefined;
  }
}

function build(tsc) {
  const compile = (project) =>
    execFileSync(process.execPath, [tsc, "-p", path.join(root, project)], { stdio: "inherit" });
  rmSync(path.join(root, "dist/server"), { recursive: true, force: true });
  rmSync(path.join(root, "packages/protocol/dist"), { recursive: true, force: true });
  compile("packages/protocol/tsconfig.build.json");
  compile("tsconfig.server.json");
  cpSync(
    path.join(root, "src/server/storage/migrations"),
    path.join(root, "dist/server/storage/migrations"),
    { recursive: true },
  );
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

const onlyIfStale = process.argv.includes("--if-stale");
if (!onlyIfStale || isStale()) {
  const tsc = findTsc();
  if (tsc) {
    const started = Date.now();
    build(tsc);
    console.error(`built dist/server in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else if (existsSync(stamp)) {
    console.error(
      "dist/server is older than the sources, and TypeScript is not installed: running it as it is",
    );
  } else {
    console.error(
      "dist/server is missing and TypeScript is not installed: run `npm install` first",
    );
    process.exit(1);
  }
}
