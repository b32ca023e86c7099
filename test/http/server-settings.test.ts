/**
 * GET /api/server: what a client must know before it acts, without a token — whether it may
 * offer registration (and with an invite), and this server's limits (a file larger than
 * MAX_UPLOAD_BYTES is refused before a byte is sent, whatever the operator chose).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { http, registerUser } from "../support/clients.ts";
import { startServer } from "../support/server.ts";

test("a fresh server with REGISTRATION=closed still offers its first account", async (t) => {
  const { url } = await startServer(t, { registration: "closed", maxUploadBytes: 3_000_000 });

  const fresh = await http(url, "GET", "/api/server");
  assert.equal(fresh.status, 200);
  assert.deepEqual(fresh.body, {
    registration: "open",
    limits: { upload_bytes: 3_000_000, attachments_per_message: 10, body_characters: 4000 },
  });

  await registerUser(url, "first_admin");
  const closed = await http(url, "GET", "/api/server");
  assert.equal(closed.body.registration, "closed");
  const refused = await http(url, "POST", "/api/auth/register", {
    body: { username: "second", password: "password-1234" },
  });
  assert.equal(refused.status, 403, "the answer agrees with what the server said");
});

test("REGISTRATION=invite is said once an account exists; the default limit is 25 MiB", async (t) => {
  const { url } = await startServer(t, { registration: "invite" });
  await registerUser(url);
  const settings = await http(url, "GET", "/api/server");
  assert.equal(settings.body.registration, "invite");
  assert.equal(settings.body.limits.upload_bytes, 25 * 1024 * 1024);
});

test("an open server says open, and needs no token to say it", async (t) => {
  const { url } = await startServer(t);
  await registerUser(url);
  const settings = await http(url, "GET", "/api/server", { token: "not-a-token" });
  assert.equal(settings.status, 200);
  assert.equal(settings.body.registration, "open");
});
