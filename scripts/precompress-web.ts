/**
 * After `vite build`: writes a brotli (`.br`) and a gzip (`.gz`) copy next to every text
 * file of web/dist, at the highest levels (this runs once per build, not per request), so
 * the server sends them as they are (src/server/http/web-client.ts).
 *
 *   node --import tsx scripts/precompress-web.ts [web/dist]
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(html|js|css|svg|json|txt|map|webmanifest)$/;
const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, "../web/dist"));

let before = 0;
let after = 0;
for (const name of readdirSync(root, { recursive: true, encoding: "utf8" })) {
  const file = path.join(root, name);
  if (!COMPRESSIBLE.test(name) || !statSync(file).isFile()) continue;
  const content = readFileSync(file);
  const brotli = brotliCompressSync(content, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });
  writeFileSync(`${file}.br`, brotli);
  writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
  if (!name.endsWith(".map")) {
    before += content.length;
    after += brotli.length;
  }
}
console.log(
  `precompressed ${path.relative(process.cwd(), root)}: ${before} -> ${after} bytes (brotli, without source maps)`,
);
