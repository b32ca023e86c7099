/**
 * Across nodes: a password change on one node ends the user's sockets on the others, and a
 * socket opened with the new token on another node stays; a display name change reaches a
 * contact's socket on another node.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  connectSocket,
  eventually,
  http,
  nextEvent,
  registerUser,
  settle,
} from "../support/clients.ts";
import { clusterEnvOrSkip, startNodes } from "./support.ts";

test("password change and profile updates reach every node", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const [n0, n1] = await startNodes(t, env, 2);
  const ana = await registerUser(n0!.url);
  const ben = await registerUser(n0!.url);
  await http(n0!.url, "POST", "/api/chats", {
    token: ana.token,
    body: { type: "direct", member_ids: [ben.user.id] },
  });
  const anaElsewhere = await connectSocket(t, n1!.url, ana.token);
  const benElsewhere = await connectSocket(t, n1!.url, ben.token);

  const heard = nextEvent(benElsewhere, "user:updated", (u: any) => u.user_id === ana.user.id);
  await http(n0!.url, "PATCH", "/api/users/me", {
    token: ana.token,
    body: { display_name: "Ana on n0" },
  });
  assert.equal((await heard).display_name, "Ana on n0");

  const changed = await http(n0!.url, "POST", "/api/auth/password", {
    token: ana.token,
    body: { current_password: ana.password, new_password: "another-long-password" },
  });
  assert.equal(changed.status, 200);
  const fresh = await connectSocket(t, n1!.url, changed.body.token);
  await eventually(() => assert.equal(anaElsewhere.connected, false));
  // The revocation has been applied on n1 (the old socket is gone there); the fresh socket,
  // opened before or after it arrived, is kept: it was opened with the new version.
  await settle(fresh);
  assert.equal(fresh.connected, true, "the new token's socket stays");
  assert.equal(
    (await http(n1!.url, "GET", "/api/users/me", { token: ana.token })).status,
    401,
    "the old token is refused on the other node too",
  );
});
