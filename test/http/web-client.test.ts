/**
 * The web client's files: sent precompressed (brotli or gzip, whichever the browser takes),
 * hashed assets cached for a year as immutable, the page itself revalidated every time.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { startServer, tempDir } from "../support/server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const INDEX = '<!doctype html><script type="module" src="/assets/app-3f9a1c.js"></script>';
const SCRIPT = `console.log(${JSON.stringify("charla ".repeat(2000))});\n`;

test("web assets are sent precompressed, cached immutably; the page is revalidated", async (t) => {
  const webRoot = await tempDir(t);
  await mkdir(path.join(webRoot, "assets"));
  await writeFile(path.join(webRoot, "index.html"), INDEX);
  await writeFile(path.join(webRoot, "assets/app-3f9a1c.js"), SCRIPT);
  // The same step `npm run build:web` runs after Vite.
  await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "scripts/precompress-web.ts", webRoot],
    { cwd: ROOT },
  );
  const { url } = await startServer(t, { webRoot });
  const get = (pathname: string, headers: Record<string, string>) =>
    fetch(`${url}${pathname}`, { headers });

  const asset = "/assets/app-3f9a1c.js";
  const brotli = await fetch(`${url}${asset}`, { headers: { "accept-encoding": "br, gzip" } });
  assert.equal(brotli.status, 200);
  assert.equal(brotli.headers.get("content-encoding"), "br");
  assert.equal(brotli.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(await brotli.text(), SCRIPT);

  // The bytes on the wire are the precompressed file, much smaller than the script.
  const raw = await rawBody(url, asset, "br");
  assert.equal(brotliDecompressSync(raw).toString(), SCRIPT);
  assert.ok(raw.length < SCRIPT.length / 10, `${raw.length} bytes for ${SCRIPT.length}`);
  const gzip = await rawBody(url, asset, "gzip");
  assert.equal(gunzipSync(gzip).toString(), SCRIPT);
  const plain = await rawBody(url, asset, "identity");
  assert.equal(plain.toString(), SCRIPT);

  for (const pathname of ["/", "/index.html"]) {
    const page = await get(pathname, { accept: "text/html" });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("cache-control"), "no-cache", pathname);
    assert.ok(page.headers.get("etag"), "revalidation is a cheap 304");
  }
  // A browser's first request for the page: any type, compressed (a bug once answered 404).
  for (const encoding of ["br", "gzip"]) {
    const page = await get("/", { accept: "*/*", "accept-encoding": encoding });
    assert.equal(page.status, 200, encoding);
    assert.equal(page.headers.get("content-encoding"), encoding);
    assert.equal(await page.text(), INDEX);
  }
  // A path of the single-page app loads the same page, revalidated too.
  const deep = await get("/c/00000000-0000-4000-8000-000000000000", { accept: "text/html" });
  assert.equal(deep.status, 200);
  assert.equal(deep.headers.get("cache-control"), "no-cache");
  assert.match(await deep.text(), /app-3f9a1c\.js/);
});

/** The response body exactly as sent, for one Accept-Encoding (fetch would decode it). */
async function rawBody(url: string, pathname: string, encoding: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    request(`${url}${pathname}`, { headers: { "accept-encoding": encoding } }, (response) => {
      const expected = encoding === "identity" ? undefined : encoding;
      if (response.headers["content-encoding"] !== expected) {
        reject(new Error(`content-encoding ${response.headers["content-encoding"]}`));
      }
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve(Buffer.concat(chunks)));
    })
      .on("error", reject)
      .end();
  });
}
