/**
 * Admin powers across nodes: a user deactivated through one node loses their live sockets on
 * every node at once, and their token is refused by every node.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { connectError, connectSocket, http, registerUser } from "../support/clients.ts";
import { clusterEnvOrSkip, startNodes } from "./support.ts";

test("deactivation ends sockets and tokens on every node", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const nodes = await startNodes(t, env, 2);
  const urls = nodes.map((node) => node.url);
  const admin = await registerUser(urls[0]!, "cluster_root");
  assert.equal(admin.user.role, "admin");
  const erin = await registerUser(urls[1]!);

  const sockets = await Promise.all(urls.map((url) => connectSocket(t, url, erin.token)));
  const closed = sockets.map(
    (socket) => new Promise<string>((resolve) => socket.once("disconnect", resolve)),
  );
  const done = await http(urls[0]!, "POST", `/api/admin/users/${erin.user.id}/deactivate`, {
    token: admin.token,
  });
  assert.equal(done.status, 200);
  assert.deepEqual(await Promise.all(closed), ["io server disconnect", "io server disconnect"]);
  for (const url of urls) {
    assert.equal((await http(url, "GET", "/api/users/me", { token: erin.token })).status, 401);
    assert.equal(
      (await connectError(t, url, { auth: { token: erin.token } })).message,
      "UNAUTHORIZED",
    );
  }
});
