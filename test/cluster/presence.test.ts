/**
 * Global presence: a user is online while any node has a socket of theirs. `user:connected`
 * fires on the first socket anywhere, `user:disconnected` on the last one anywhere, and a
 * node killed without a goodbye has its users announced offline by the survivors, once.
 * The first tests run PRESENCE_SCOPE=everyone (everyone hears everyone); the last ones the
 * default `shared`, where only contacts (users sharing a chat) hear each other, on any node.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createClient } from "redis";
import { REAP } from "../../src/server/cluster/scripts.ts";
import {
  connectSocket,
  createChat,
  eventually,
  http,
  received,
  registerUser,
  settle,
  uniqueName,
  type TestSocket,
} from "../support/clients.ts";
import {
  EXPIRY_SECONDS,
  HEARTBEAT_SECONDS,
  clusterEnvOrSkip,
  spawnNode,
  startNodes,
  until,
} from "./support.ts";

const PRESENCE_EVENTS = new Set(["user:connected", "users:online", "user:disconnected"]);
const presenceOf = (socket: TestSocket) =>
  received(socket).filter((e) => PRESENCE_EVENTS.has(e.event));
const idsOf = (...users: Array<{ user: { id: string } }>) => users.map((u) => u.user.id).sort();

const EVERYONE = { presenceScope: "everyone" } as const;

const about = (socket: TestSocket, event: string, userId: string) =>
  received(socket).filter((e) => e.event === event && e.payload.user_id === userId);

/** The users:list a fresh socket gets, as user ids (asserting each appears once). */
async function onlineIds(t: Parameters<typeof connectSocket>[0], url: string, token: string) {
  const socket = await connectSocket(t, url, token);
  const list = await eventually(() => {
    const found = received(socket).find((e) => e.event === "users:list");
    assert.ok(found, "no users:list");
    return found.payload.users as Array<{ user_id: string; username: string }>;
  });
  socket.disconnect();
  const ids = list.map((u) => u.user_id);
  assert.equal(new Set(ids).size, ids.length, "users:list names each user once");
  return new Set(ids);
}

test("presence is global: first and last socket anywhere, users:list once each", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const [n0, n1, n2] = await startNodes(t, env, 3, EVERYONE);
  const [watcher, user, other] = await Promise.all([
    registerUser(n0!.url),
    registerUser(n0!.url),
    registerUser(n0!.url),
  ]);
  const w0 = await connectSocket(t, n0!.url, watcher.token);
  const w1 = await connectSocket(t, n1!.url, other.token);
  const id = user.user.id;

  const first = await connectSocket(t, n1!.url, user.token);
  for (const socket of [w0, w1]) {
    await eventually(() => assert.equal(about(socket, "user:connected", id).length, 1));
    await eventually(() => assert.equal(about(socket, "users:online", id).length, 1));
  }
  assert.equal(about(first, "user:connected", id).length, 0, "not announced to itself");

  // A second socket on another node is not a new arrival.
  const second = await connectSocket(t, n2!.url, user.token);
  const listed = await onlineIds(t, n0!.url, watcher.token);
  for (const expected of [watcher, user, other]) assert.ok(listed.has(expected.user.id), "listed");
  assert.equal(about(w0, "user:connected", id).length, 1);
  assert.equal(about(w1, "user:connected", id).length, 1);

  // Closing one of two sockets: still online. Wait until n1 has recorded it (users:list
  // still has the user, and a fresh list is taken after the disconnect was processed).
  first.disconnect();
  await eventually(async () => {
    const sockets = await n1!.app.io.local.fetchSockets();
    assert.equal(sockets.filter((s) => s.data.user.id === id).length, 0);
  });
  assert.ok((await onlineIds(t, n2!.url, other.token)).has(id), "online while a socket remains");
  assert.equal(about(w0, "user:disconnected", id).length, 0);

  second.disconnect();
  for (const socket of [w0, w1]) {
    await eventually(() => assert.equal(about(socket, "user:disconnected", id).length, 1));
  }
  assert.equal((await onlineIds(t, n1!.url, other.token)).has(id), false);

  // A node shutting down says goodbye for its users at once.
  const leaving = await connectSocket(t, n2!.url, user.token);
  await eventually(() => assert.equal(about(w0, "user:connected", id).length, 2));
  await n2!.close();
  await eventually(() => assert.equal(about(w0, "user:disconnected", id).length, 2));
  assert.equal(leaving.connected, false);
  // Through Redis, w1's node may hear it a moment after w0's.
  await eventually(() => assert.equal(about(w1, "user:disconnected", id).length, 2));
});

test("a killed node's users are announced offline by the survivors, once", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const [n0, n1] = await startNodes(t, env, 2, EVERYONE);
  const doomed = await spawnNode(t, env, { PRESENCE_SCOPE: "everyone" });

  const [watcher, onlyThere, alsoElsewhere, other] = await Promise.all([
    registerUser(n0!.url),
    registerUser(n0!.url),
    registerUser(n0!.url),
    registerUser(n0!.url),
  ]);
  const w0 = await connectSocket(t, n0!.url, watcher.token);
  const w1 = await connectSocket(t, n1!.url, other.token);
  await connectSocket(t, doomed.url, onlyThere.token);
  await connectSocket(t, doomed.url, alsoElsewhere.token);
  await connectSocket(t, n1!.url, alsoElsewhere.token);
  for (const socket of [w0, w1]) {
    await eventually(() =>
      assert.equal(about(socket, "user:connected", onlyThere.user.id).length, 1),
    );
  }
  const before = await onlineIds(t, n0!.url, watcher.token);
  assert.ok(before.has(onlyThere.user.id) && before.has(alsoElsewhere.user.id), "both online");

  const killedAt = Date.now();
  await doomed.kill();
  for (const socket of [w0, w1]) {
    await eventually(
      () => assert.equal(about(socket, "user:disconnected", onlyThere.user.id).length, 1),
      30_000,
      50,
    );
  }
  const seconds = (Date.now() - killedAt) / 1000;
  assert.ok(seconds < 30, `announced after ${seconds} s`);
  t.diagnostic(`killed node's user announced offline after ${seconds.toFixed(1)} s`);

  // Exactly once, although both survivors run the reaper: give them two more heartbeats.
  const settle = Date.now() + 2 * HEARTBEAT_SECONDS * 1000;
  await until(() => Date.now() > settle, "two more heartbeats", 10_000, 100);
  for (const socket of [w0, w1]) {
    assert.equal(about(socket, "user:disconnected", onlyThere.user.id).length, 1);
    assert.equal(
      about(socket, "user:disconnected", alsoElsewhere.user.id).length,
      0,
      "a user with a live socket on a survivor stays online",
    );
  }
  const after = await onlineIds(t, n1!.url, other.token);
  assert.equal(after.has(onlyThere.user.id), false);
  assert.ok(after.has(alsoElsewhere.user.id), "still online");
  assert.ok(seconds < EXPIRY_SECONDS + 2 * HEARTBEAT_SECONDS + 5, "about one expiry");
});

test("a node reaped while cut off from Redis re-registers and announces its users again", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const [n0, n1] = await startNodes(t, env, 2, EVERYONE);
  const [watcher, user] = await Promise.all([registerUser(n0!.url), registerUser(n0!.url)]);
  const w = await connectSocket(t, n0!.url, watcher.token);
  const own = await connectSocket(t, n1!.url, user.token);
  const id = user.user.id;
  await eventually(() => assert.equal(about(w, "user:connected", id).length, 1));

  // What a survivor's reaper does to a node it has not heard from: remove it and its sockets.
  const client = createClient({ url: env.redisUrl });
  await client.connect();
  t.after(() => client.close());
  const base = `${env.prefix}:{presence}`;
  const nodes = await client.zRange(`${base}:nodes`, 0, -1);
  const victim = nodes.find((node) => node.startsWith("n1-"));
  assert.ok(victim, "n1 is registered");
  const gone = await client.eval(REAP.source, {
    keys: [`${base}:nodes`, `${base}:counts`, `${base}:names`],
    arguments: [`${base}:node:`, victim, "1"],
  });
  assert.deepEqual(gone, [id]);
  assert.equal((await onlineIds(t, n0!.url, watcher.token)).has(id), false);

  // n1 notices on its next heartbeat, re-registers its sockets and says so.
  await eventually(() => assert.equal(about(w, "user:connected", id).length, 2), 5000);
  await eventually(() => assert.equal(about(w, "users:online", id).length, 2));
  assert.ok((await onlineIds(t, n0!.url, watcher.token)).has(id), "listed again");
  assert.equal(about(own, "user:connected", id).length, 0, "not announced to itself");
});

test("shared scope across nodes: contacts only, live membership, a killed node's users", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const [n0, n1] = await startNodes(t, env, 2);
  const doomed = await spawnNode(t, env);
  const [ana, ben, eve, zoe] = await Promise.all([
    registerUser(n0!.url, uniqueName("ana")),
    registerUser(n0!.url, uniqueName("ben")),
    registerUser(n0!.url, uniqueName("eve")),
    registerUser(n0!.url, uniqueName("zoe")),
  ]);
  await createChat(n0!.url, ana, "direct", [ben]);
  // ben on n0; ana and eve on n1, so that what eve must not hear travels in the same
  // broadcast as what ana hears: once ana has it, a barrier on eve proves eve did not.
  const benSocket = await connectSocket(t, n0!.url, ben.token);
  const eveSocket = await connectSocket(t, n1!.url, eve.token);
  const anaSocket = await connectSocket(t, n1!.url, ana.token);
  await eventually(() => assert.equal(about(benSocket, "users:online", ana.user.id).length, 1));
  assert.equal(about(benSocket, "user:connected", ana.user.id).length, 1);
  assert.deepEqual([...(await onlineIds(t, n1!.url, ana.token))].sort(), idsOf(ana, ben));
  assert.deepEqual([...(await onlineIds(t, n0!.url, eve.token))], [eve.user.id]);
  await settle(eveSocket);
  assert.deepEqual(presenceOf(eveSocket), [], "eve shares nothing with ana");

  // A member added while online, across nodes: eve and ben hear each other at once.
  const team = await createChat(n0!.url, ben, "group", [], "team");
  const added = await http(n0!.url, "POST", `/api/chats/${team.id}/members`, {
    token: ben.token,
    body: { user_id: eve.user.id },
  });
  assert.equal(added.status, 201);
  await eventually(() => assert.equal(about(eveSocket, "users:online", ben.user.id).length, 1));
  await eventually(() => assert.equal(about(benSocket, "users:online", eve.user.id).length, 1));
  assert.deepEqual([...(await onlineIds(t, n0!.url, eve.token))].sort(), idsOf(ben, eve));

  // Removed: eve hears nothing more of ben (ana, in the same broadcast on n1, does).
  const removed = await http(n0!.url, "DELETE", `/api/chats/${team.id}/members/${eve.user.id}`, {
    token: ben.token,
  });
  assert.equal(removed.status, 204);
  await eventually(() =>
    assert.ok(received(eveSocket).some((e) => e.event === "chat:member_removed")),
  );
  const eveHeard = presenceOf(eveSocket).length;
  benSocket.disconnect();
  await eventually(() =>
    assert.equal(about(anaSocket, "user:disconnected", ben.user.id).length, 1),
  );
  await settle(eveSocket);
  assert.equal(presenceOf(eveSocket).length, eveHeard, "nothing after the removal");

  // A node killed without a goodbye: its users are announced to their contacts only.
  const zoeSocket = await connectSocket(t, doomed.url, zoe.token);
  await createChat(doomed.url, zoe, "direct", [ana]);
  await eventually(() => assert.equal(about(anaSocket, "users:online", zoe.user.id).length, 1));
  await eventually(() => assert.equal(about(zoeSocket, "users:online", ana.user.id).length, 1));
  await doomed.kill();
  await eventually(
    () => assert.equal(about(anaSocket, "user:disconnected", zoe.user.id).length, 1),
    30_000,
    50,
  );
  await settle(eveSocket);
  assert.equal(presenceOf(eveSocket).length, eveHeard, "eve never heard of zoe");
});

test("a block across nodes: both users' sockets on every node stop hearing each other, then hear again", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const [n0, n1] = await startNodes(t, env, 2);
  const [ana, ben, eve] = await Promise.all([
    registerUser(n0!.url, uniqueName("ana")),
    registerUser(n0!.url, uniqueName("ben")),
    registerUser(n0!.url, uniqueName("eve")),
  ]);
  await createChat(n0!.url, ana, "group", [ben, eve], "team");
  // ana on both nodes; ben on n1 with eve, so that what ana must not hear travels in the
  // same broadcast as what eve hears.
  const ana0 = await connectSocket(t, n0!.url, ana.token);
  const ana1 = await connectSocket(t, n1!.url, ana.token);
  const eveSocket = await connectSocket(t, n1!.url, eve.token);
  const benSocket = await connectSocket(t, n1!.url, ben.token);
  for (const socket of [ana0, ana1]) {
    await eventually(() => assert.equal(about(socket, "users:online", ben.user.id).length, 1));
  }

  // ana blocks ben through n0: her sockets on both nodes see him go, and he sees her go.
  const blocked = await http(n0!.url, "PUT", `/api/users/me/blocks/${ben.user.id}`, {
    token: ana.token,
  });
  assert.equal(blocked.status, 204);
  for (const socket of [ana0, ana1]) {
    await eventually(() => assert.equal(about(socket, "user:disconnected", ben.user.id).length, 1));
  }
  await eventually(() =>
    assert.equal(about(benSocket, "user:disconnected", ana.user.id).length, 1),
  );
  assert.ok(!(await onlineIds(t, n0!.url, ben.token)).has(ana.user.id));

  // ben leaves and comes back on n1: eve hears it, ana's sockets on either node do not.
  const anaHeard = [presenceOf(ana0).length, presenceOf(ana1).length];
  benSocket.disconnect();
  await eventually(() =>
    assert.equal(about(eveSocket, "user:disconnected", ben.user.id).length, 1),
  );
  const benBack = await connectSocket(t, n1!.url, ben.token);
  await eventually(() => assert.equal(about(eveSocket, "user:connected", ben.user.id).length, 2));
  await settle(ana0);
  await settle(ana1);
  assert.deepEqual([presenceOf(ana0).length, presenceOf(ana1).length], anaHeard);

  // Unblocked through n1: each hears the other on every node again.
  const unblocked = await http(n1!.url, "DELETE", `/api/users/me/blocks/${ben.user.id}`, {
    token: ana.token,
  });
  assert.equal(unblocked.status, 204);
  for (const socket of [ana0, ana1]) {
    await eventually(() => assert.equal(about(socket, "users:online", ben.user.id).length, 2));
  }
  await eventually(() => assert.ok(about(benBack, "users:online", ana.user.id).length >= 1));
  assert.ok((await onlineIds(t, n0!.url, ben.token)).has(ana.user.id));
});
