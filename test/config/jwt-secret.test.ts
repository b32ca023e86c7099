/**
 * Without JWT_SECRET the signing key is generated once under DATA_DIR and reused: tokens
 * survive a restart on the same DATA_DIR, and are worthless to a server with another key.
 */
import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { http, registerUser } from "../support/clients.ts";
import { startServer, tempDir } from "../support/server.ts";
import { resolveJwtSecret } from "../../src/server/secret.ts";

test("the generated secret is kept under DATA_DIR and reused across restarts", async (t) => {
  const [dataDir, otherDir] = await Promise.all([tempDir(t), tempDir(t)]);
  const persistent = {
    dataDir,
    jwtSecret: undefined,
    database: { kind: "pglite" as const, dataDir: path.join(dataDir, "pglite") },
  };

  const first = await startServer(t, persistent);
  const someone = await registerUser(first.url);
  const file = path.join(dataDir, "jwt-secret");
  const secret = await readFile(file, "utf8");
  assert.ok(secret.trim().length >= 32, "a long random key");
  assert.equal((await stat(file)).mode & 0o077, 0, "readable by the owner only");
  await first.close();

  const second = await startServer(t, persistent);
  assert.equal(await readFile(file, "utf8"), secret, "not regenerated");
  const me = await http(second.url, "GET", "/api/users/me", { token: someone.token });
  assert.equal(me.status, 200, "the token survived the restart");
  assert.equal(me.body.id, someone.user.id);
  await second.close();

  // Same data, different key (another DATA_DIR for the secret): the old token is refused.
  const third = await startServer(t, { ...persistent, dataDir: otherDir });
  const refused = await http(third.url, "GET", "/api/users/me", { token: someone.token });
  assert.equal(refused.status, 401);
  assert.equal(refused.body.error.code, "UNAUTHORIZED");
  assert.notEqual(await readFile(path.join(otherDir, "jwt-secret"), "utf8"), secret);
});

test("JWT_SECRET, when set, is used as is and nothing is written", async (t) => {
  const dataDir = await tempDir(t);
  const key = "x".repeat(40);
  const bytes = await resolveJwtSecret({ jwtSecret: key, dataDir });
  assert.equal(new TextDecoder().decode(bytes), key);
  await assert.rejects(stat(path.join(dataDir, "jwt-secret")), { code: "ENOENT" });
  // Processes starting together on one DATA_DIR agree on one key.
  const keys = await Promise.all(
    [1, 2, 3, 4].map(() => resolveJwtSecret({ jwtSecret: undefined, dataDir })),
  );
  for (const k of keys) assert.deepEqual(k, keys[0]);
});
