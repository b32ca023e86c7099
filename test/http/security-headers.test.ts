/**
 * What a browser and an attacker see at the HTTP layer: protective headers on the page, its
 * assets and the API; no source maps; every error, Fastify's own included, in the contract's
 * envelope; /metrics only for loopback or the METRICS_TOKEN.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { test } from "node:test";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

function assertProtected(headers: Headers, what: string) {
  const csp = headers.get("content-security-policy") ?? "";
  assert.match(csp, /script-src 'self'(;|$)/, `${what}: scripts only from the origin`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: no inline script`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: never framed`);
  assert.match(csp, /object-src 'none'/, what);
  assert.equal(headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(headers.get("referrer-policy"), "no-referrer", what);
}

function assertEnvelope(status: number, body: unknown, expected: number, what: string) {
  assert.equal(status, expected, `${what}: ${JSON.stringify(body)}`);
  const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
  assert.deepEqual(Object.keys(body as object), ["error"], what);
  assert.equal(typeof error?.code, "string", what);
  assert.equal(typeof error?.message, "string", what);
}

/** Sends raw bytes (what fetch refuses to send) and returns status line and body. */
function rawRequest(url: string, request: string): Promise<{ status: number; body: unknown }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    let data = "";
    socket.on("data", (chunk) => (data += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => {
      const status = Number(data.split(" ")[1]);
      const body = data.slice(data.indexOf("\r\n\r\n") + 4);
      resolve({ status, body: JSON.parse(body) });
    });
  });
}

test("headers, source maps, error envelopes and metrics access", async (t) => {
  const { url, users, app } = await chatFixture(t, ["ana"], {
    metricsToken: "metrics-token-0123456789",
  });
  const [ana] = users;

  await t.test("the page, its assets and the API carry the protective headers", async () => {
    const page = await fetch(`${url}/`, { headers: { accept: "text/html" } });
    assert.equal(page.status, 200);
    assertProtected(page.headers, "page");
    const html = await page.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, "no inline script in the page");
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    assert.ok(script, "the page loads a bundled script");
    assertProtected((await fetch(url + script)).headers, "asset");
    assertProtected(
      (await fetch(`${url}/api/users/me`, { headers: { authorization: `Bearer ${ana.token}` } }))
        .headers,
      "API",
    );
  });

  await t.test("source maps are not served", async () => {
    const assets = path.join(app.config.webRoot, "assets");
    const maps = readdirSync(assets).filter((name) => name.endsWith(".map"));
    for (const map of maps) {
      const response = await fetch(`${url}/assets/${map}`);
      assert.equal(response.status, 404, map);
      assert.doesNotMatch(await response.text(), /"sources"/, map);
    }
  });

  await t.test("every error is the contract's envelope, Fastify's own too", async () => {
    const badUrl = await http(url, "GET", "/api/chats/%E0%A4%A", { token: ana.token });
    assertEnvelope(badUrl.status, badUrl.body, 400, "bad percent-encoding");
    assert.equal((badUrl.body as any).error.code, "VALIDATION_ERROR");
    const missing = await http(url, "GET", "/api/nothing-here", { token: ana.token });
    assertEnvelope(missing.status, missing.body, 404, "unknown route");
    const badJson = await http(url, "POST", "/api/chats", { token: ana.token, rawBody: "{" });
    assertEnvelope(badJson.status, badJson.body, 400, "bad JSON");
    const notJson = await http(url, "POST", "/api/chats", {
      token: ana.token,
      rawBody: "type=group",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assertEnvelope(notJson.status, notJson.body, notJson.status, "not JSON");
    assert.ok(notJson.status === 400 || notJson.status === 415, String(notJson.status));
    const notHttp = await rawRequest(url, "GARBAGE\r\n\r\n");
    assertEnvelope(notHttp.status, notHttp.body, 400, "not HTTP at all");
    const bigHeaders = await rawRequest(
      url,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    assertEnvelope(bigHeaders.status, bigHeaders.body, 431, "headers too large");
  });

  await t.test("/metrics: loopback, or the token; not a forwarded request", async () => {
    assert.equal((await fetch(`${url}/metrics`)).status, 200, "loopback");
    const relayed = await http(url, "GET", "/metrics", {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    assertEnvelope(relayed.status, relayed.body, 403, "relayed by a proxy");
    const wrong = await http(url, "GET", "/metrics", {
      headers: { "x-forwarded-for": "203.0.113.9", authorization: "Bearer wrong-token-0123456789" },
    });
    assert.equal(wrong.status, 403);
    const withToken = await fetch(`${url}/metrics`, {
      headers: {
        "x-forwarded-for": "203.0.113.9",
        authorization: "Bearer metrics-token-0123456789",
      },
    });
    assert.equal(withToken.status, 200);
    assert.match(await withToken.text(), /charla_/);
  });
});
