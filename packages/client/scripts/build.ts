/**
 * Builds the publishable package into dist/: the client as ESM + .d.ts (tsc), with the part
 * of @charla/protocol it needs carried inside (dist/protocol/), so that installing it pulls
 * in socket.io-client and nothing else. Run by `npm run build` and before `npm pack`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import prettier from "prettier";
import { expandedTypes } from "./protocol-types.ts";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(dist, { recursive: true, force: true });
const compile = (project: string) =>
  execFileSync(process.execPath, [tsc, "-p", path.join(root, project)], { stdio: "inherit" });

// 1. The protocol's error catalog and event maps; their schema types spelled out.
compile("tsconfig.protocol.json");
const schemas = path.join(root, "../protocol/src/schemas.ts");
const types = await prettier.format(expandedTypes(schemas), { parser: "typescript" });
writeFileSync(path.join(dist, "protocol/schemas.d.ts"), types);
rmSync(path.join(dist, "protocol/schemas.js"));

// 2. The client itself, whose `#protocol/*` imports now resolve to dist/protocol/.
compile("tsconfig.build.json");

// 3. What a consumer installs must not reach for the monorepo or TypeBox.
for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" })) {
  if (!/\.(js|d\.ts)$/.test(file)) continue;
  const text = readFileSync(path.join(dist, file), "utf8");
  const leak = /@charla\/protocol|@sinclair\/typebox/.exec(text);
  if (leak) throw new Error(`dist/${file} refers to ${leak[0]}`);
}
console.log(`built ${path.relative(process.cwd(), dist)}`);
