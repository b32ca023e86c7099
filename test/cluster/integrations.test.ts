/**
 * Integrations across nodes: a bot's token revoked through one node ends its live sockets on
 * every node at once, and every node refuses the token from then on.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { connectError, connectSocket, http, registerUser } from "../support/clients.ts";
import { clusterEnvOrSkip, startNodes } from "./support.ts";

test("revoking a bot's token ends its sockets on every node", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const nodes = await startNodes(t, env, 2);
  const urls = nodes.map((node) => node.url);
  const admin = await registerUser(urls[0]!, "cluster_bots_root");
  const created = await http(urls[1]!, "POST", "/api/bots", {
    token: admin.token,
    body: { username: "cluster_bot" },
  });
  assert.equal(created.status, 201);
  const token = created.body.token as string;

  const sockets = await Promise.all(urls.map((url) => connectSocket(t, url, token)));
  const closed = sockets.map(
    (socket) => new Promise<string>((resolve) => socket.once("disconnect", resolve)),
  );
  const revoked = await http(urls[0]!, "DELETE", `/api/bots/${created.body.user.id}/token`, {
    token: admin.token,
  });
  assert.equal(revoked.status, 204);
  assert.deepEqual(await Promise.all(closed), ["io server disconnect", "io server disconnect"]);
  for (const url of urls) {
    assert.equal((await http(url, "GET", "/api/users/me", { token })).status, 401);
    assert.equal((await connectError(t, url, { auth: { token } })).message, "UNAUTHORIZED");
  }
});
