/**
 * Outside /api: /healthz, /readyz, /metrics (Prometheus text), the OpenAPI document and its
 * UI; and the one error shape of every answer, including unknown routes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  connectSocket,
  createChat,
  eventually,
  http,
  postMessage,
  registerUser,
} from "../support/clients.ts";
import { startServer } from "../support/server.ts";

test("operations endpoints", async (t) => {
  const { url, app } = await startServer(t);

  await t.test("/healthz and /readyz", async () => {
    const health = await http(url, "GET", "/healthz");
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: "ok" });
    const ready = await http(url, "GET", "/readyz");
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: "ready", checks: { database: "up" } });
  });

  await t.test("/metrics: Prometheus text with charla_ metrics that move", async (t) => {
    const ana = await registerUser(url);
    const chat = await createChat(url, ana, "group", [], "metrics");
    await postMessage(url, ana, chat.id, "counted");
    await connectSocket(t, url, ana.token);
    const response = await fetch(`${url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
    const text = await response.text();
    for (const name of [
      "charla_http_request_duration_seconds_bucket",
      "charla_socket_event_duration_seconds",
      "charla_commit_batch_size_bucket",
      "charla_process_cpu_user_seconds_total",
    ]) {
      assert.ok(text.includes(name), `${name} missing`);
    }
    assert.match(text, /^# TYPE charla_messages_stored_total counter$/m);
    assert.match(text, /^charla_messages_stored_total 1$/m);
    assert.match(text, /^charla_sockets_connected 1$/m);
    // The message is indexed for search after its commit; then no chat is behind.
    await eventually(async () => {
      const now = await (await fetch(`${url}/metrics`)).text();
      assert.match(now, /^charla_search_chats_behind 0$/m);
      assert.match(now, /^charla_search_changes_indexed_total 1$/m);
    });
    assert.match(
      text,
      /charla_http_request_duration_seconds_count\{[^}]*route="\/api\/chats\/:id\/messages"[^}]*status="201"[^}]*\} 1/,
    );
  });

  await t.test("the OpenAPI document lists every route; the UI is served", async () => {
    const doc = await http(url, "GET", "/docs/json");
    assert.equal(doc.status, 200);
    assert.match(doc.body.openapi, /^3\./);
    const routes = Object.entries(doc.body.paths).flatMap(([path, ops]: [string, any]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    for (const route of [
      "POST /api/auth/register",
      "POST /api/auth/login",
      "POST /api/auth/logout",
      "GET /api/users/me",
      "GET /api/users",
      "GET /api/server",
      "POST /api/chats",
      "GET /api/chats",
      "GET /api/chats/{id}",
      "POST /api/chats/{id}/members",
      "DELETE /api/chats/{id}/members/{user_id}",
      "GET /api/chats/{id}/messages",
      "POST /api/chats/{id}/messages",
      "PATCH /api/messages/{id}",
      "DELETE /api/messages/{id}",
      "POST /api/chats/{id}/read",
      "GET /healthz",
      "GET /readyz",
      "GET /metrics",
    ]) {
      assert.ok(routes.includes(route), `${route} not in the OpenAPI document`);
    }
    // The schemas come from the protocol: the message body's rules are in the document.
    const post = doc.body.paths["/api/chats/{id}/messages"].post;
    const body = post.requestBody.content["application/json"].schema;
    assert.match(body.properties.body.description, /at least 1 without attachments/);
    assert.ok(body.properties.attachment_ids, "attachment_ids in the document");
    assert.equal(body.additionalProperties, false);
    assert.ok(doc.body.components.securitySchemes.bearer);

    const ui = await fetch(`${url}/docs/`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger/i);
  });

  await t.test("unknown routes and methods answer the one error shape", async () => {
    for (const [method, path] of [
      ["GET", "/api/nothing-here"],
      ["POST", "/api/chats/x/y/z"],
      ["PUT", "/api/users/me"],
    ]) {
      const result = await http(url, method!, path!, {
        headers: { accept: "application/json" },
      });
      assert.equal(result.status, 404, `${method} ${path}`);
      assert.equal(result.body.error.code, "NOT_FOUND");
      assert.equal(typeof result.body.error.message, "string");
    }
  });

  await t.test("/readyz answers 503 when the database is gone; /healthz stays up", async () => {
    const ana = await registerUser(url);
    const chat = await createChat(url, ana, "group", [], "doomed");
    await app.store.close();
    const ready = await http(url, "GET", "/readyz");
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body, { status: "unavailable", checks: { database: "down" } });
    assert.equal((await http(url, "GET", "/healthz")).status, 200);
    const send = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
      token: ana.token,
      body: { body: "lost?" },
    });
    assert.equal(send.status, 503, JSON.stringify(send.body));
    assert.equal(send.body.error.code, "UNAVAILABLE");
  });
});
