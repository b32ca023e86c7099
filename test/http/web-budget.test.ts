/**
 * The web client's weight: the JavaScript a first visit loads (the page's scripts and what it
 * preloads, not the lazy chunks of dialogs opened later) stays under 150 KB gzip, the budget
 * of issue 14. Read from the server as a browser gets it, from the build `npm install` made.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { ensureWebBuild } from "../web/browser.ts";
import { startServer } from "../support/server.ts";

const BUDGET_BYTES = 150_000;

test("the JavaScript of a first visit stays under 150 KB gzip", async (t) => {
  ensureWebBuild();
  const { url } = await startServer(t);
  const page = await (await fetch(`${url}/`)).text();
  const scripts = [
    ...page.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...page.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((match) => match[1]!);
  assert.ok(scripts.length > 0, "the page names its scripts");
  let total = 0;
  for (const script of scripts) {
    const response = await fetch(`${url}${script}`, { headers: { "accept-encoding": "identity" } });
    assert.equal(response.status, 200, script);
    total += gzipSync(Buffer.from(await response.arrayBuffer()), { level: 9 }).length;
  }
  assert.ok(
    total < BUDGET_BYTES,
    `${(total / 1000).toFixed(1)} KB gzip of JavaScript on a first visit (budget 150 KB): ` +
      "move what a first screen does not need into a lazy chunk",
  );
});
