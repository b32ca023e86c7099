/**
 * Presence on one node: sockets are counted per user. The first socket announces
 * user:connected and users:online, the last one user:disconnected; every connecting socket
 * gets users:list, each user once. With PRESENCE_SCOPE=shared (the default) only the user's
 * contacts (who share a chat with them) hear it and are listed; with `everyone`, everyone.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  connectSocket,
  http,
  eventually,
  firstEvent,
  nextEvent,
  received,
  settle,
  type TestSocket,
} from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

const presenceEvents = new Set(["user:connected", "users:online", "user:disconnected"]);
/** The presence events a socket has received so far, as "event user_id". */
const heard = (socket: TestSocket) =>
  received(socket)
    .filter((e) => presenceEvents.has(e.event))
    .map((e) => `${e.event} ${e.payload.user_id}`);
const listed = async (socket: TestSocket) =>
  (await firstEvent(socket, "users:list")).users.map((u: any) => u.user_id).sort();
const ids = (...users: Array<{ user: { id: string } }>) => users.map((u) => u.user.id).sort();

/** What presence payloads carry of a user who set no display name or avatar. */
const noProfile = { display_name: null, avatar_url: null };

test("presence to everyone counts sockets per user", async (t) => {
  const { connect, users } = await chatFixture(t, ["ana", "ben", "eve"], {
    presenceScope: "everyone",
  });
  const [ana, ben, eve] = users;
  const names = (list: any) => list.users.map((u: any) => u.username).sort();
  const events = (socket: any, event: string, userId: string) =>
    received(socket).filter((e) => e.event === event && e.payload.user_id === userId);

  const benSocket = await connect(ben);
  assert.deepEqual(names(await firstEvent(benSocket, "users:list")), ["ben"]);

  // ana's first socket: ben hears user:connected and users:online, once each.
  const benHearsConnected = nextEvent(benSocket, "user:connected");
  const benHearsOnline = nextEvent(benSocket, "users:online");
  const ana1 = await connect(ana);
  assert.deepEqual(await benHearsConnected, {
    user_id: ana.user.id,
    username: "ana",
    ...noProfile,
  });
  assert.deepEqual(await benHearsOnline, { user_id: ana.user.id, username: "ana", ...noProfile });
  const anaList = await firstEvent(ana1, "users:list");
  assert.deepEqual(names(anaList), ["ana", "ben"]);
  assert.deepEqual(
    anaList.users.find((u: any) => u.username === "ben"),
    { user_id: ben.user.id, username: "ben", ...noProfile },
  );

  // ana's second socket: nobody hears anything; its users:list has ana once.
  const ana2 = await connect(ana);
  assert.deepEqual(names(await firstEvent(ana2, "users:list")), ["ana", "ben"]);
  await settle(benSocket);
  assert.equal(events(benSocket, "user:connected", ana.user.id).length, 1);
  assert.equal(events(benSocket, "users:online", ana.user.id).length, 1);
  // A user's own sockets are not told about themselves.
  await settle(ana1);
  assert.equal(events(ana1, "user:connected", ana.user.id).length, 0);

  // Closing one of two sockets: still online.
  ana1.disconnect();
  const eveSocket = await connect(eve);
  assert.deepEqual(names(await firstEvent(eveSocket, "users:list")), ["ana", "ben", "eve"]);
  await settle(benSocket);
  assert.equal(events(benSocket, "user:disconnected", ana.user.id).length, 0);

  // Closing the last one: everyone else hears user:disconnected, once.
  const eveHearsGone = nextEvent(
    eveSocket,
    "user:disconnected",
    (p: any) => p.user_id === ana.user.id,
  );
  ana2.disconnect();
  assert.deepEqual(await eveHearsGone, { user_id: ana.user.id });
  await eventually(() =>
    assert.equal(events(benSocket, "user:disconnected", ana.user.id).length, 1),
  );
  const later = await connect(ben);
  assert.deepEqual(names(await firstEvent(later, "users:list")), ["ben", "eve"]);

  // Coming back announces again.
  const benHearsBack = nextEvent(
    benSocket,
    "user:connected",
    (p: any) => p.user_id === ana.user.id,
  );
  await connect(ana);
  await benHearsBack;

  // user:connected from a client (optional in the contract) answers with users:list, no
  // second announcement.
  const again = nextEvent(eveSocket, "users:list");
  eveSocket.emit("user:connected", { user_id: eve.user.id, username: "eve" });
  assert.deepEqual(names(await again), ["ana", "ben", "eve"]);
  await settle(benSocket);
  assert.equal(events(benSocket, "user:connected", eve.user.id).length, 1);
});

test("sockets that come and go at once leave no ghost behind in users:list", async (t) => {
  const { url, connect, direct, users } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  await direct(ana, ben);
  const benSocket = await connect(ben);
  for (let i = 0; i < 5; i++) {
    const socket = await connectSocket(t, url, ana.token);
    socket.disconnect();
  }
  const probe = await connect(ben);
  await eventually(async () => {
    const list = nextEvent(probe, "users:list");
    probe.emit("user:connected", { user_id: ben.user.id, username: "ben" });
    assert.deepEqual(
      (await list).users.map((u: any) => u.username),
      ["ben"],
    );
  });
  await settle(benSocket);
  const connected = received(benSocket).filter((e) => e.event === "user:connected").length;
  const disconnected = received(benSocket).filter((e) => e.event === "user:disconnected").length;
  assert.equal(connected, disconnected, "every announced arrival was followed by a departure");
});

test("shared scope: only contacts hear a user come and go, and users:list is contacts", async (t) => {
  const { connect, direct, group, users } = await chatFixture(t, ["ana", "ben", "eve", "zoe"]);
  const [ana, ben, eve, zoe] = users;
  // ana and ben share two chats; eve and zoe share one; ana shares nothing with eve or zoe.
  await direct(ana, ben);
  await group(ben, [ana], "two");
  await direct(eve, zoe);

  const benSocket = await connect(ben);
  const eveSocket = await connect(eve);
  assert.deepEqual(await listed(benSocket), ids(ben));
  assert.deepEqual(await listed(eveSocket), ids(eve), "eve shares nothing with ben");

  const benHearsAna = nextEvent(benSocket, "users:online", (p: any) => p.user_id === ana.user.id);
  const anaSocket = await connect(ana);
  assert.deepEqual(await benHearsAna, { user_id: ana.user.id, username: "ana", ...noProfile });
  assert.deepEqual(await listed(anaSocket), ids(ana, ben), "ana's list: herself and ben");
  // Once each although they share two chats; eve heard nothing of ana.
  await settle(benSocket);
  await settle(eveSocket);
  assert.deepEqual(heard(benSocket), [
    `user:connected ${ana.user.id}`,
    `users:online ${ana.user.id}`,
  ]);
  assert.deepEqual(heard(eveSocket), []);

  // zoe comes: eve hears her, ana and ben do not.
  const zoeSocket = await connect(zoe);
  await eventually(() => assert.equal(heard(eveSocket).length, 2));
  assert.deepEqual(await listed(zoeSocket), ids(zoe, eve));
  await settle(anaSocket);
  await settle(benSocket);
  assert.deepEqual(heard(anaSocket), []);
  assert.equal(heard(benSocket).length, 2);

  // ana leaves: ben hears it once, eve and zoe nothing.
  anaSocket.disconnect();
  await eventually(() => assert.ok(heard(benSocket).includes(`user:disconnected ${ana.user.id}`)));
  await settle(eveSocket);
  await settle(zoeSocket);
  await settle(benSocket);
  assert.equal(heard(benSocket).length, 3);
  assert.equal(heard(eveSocket).length, 2);
  assert.deepEqual(heard(zoeSocket), []);

  // user:connected from a client answers with the same scoped list.
  const again = nextEvent(zoeSocket, "users:list");
  zoeSocket.emit("user:connected", { user_id: zoe.user.id, username: "zoe" });
  assert.deepEqual((await again).users.map((u: any) => u.user_id).sort(), ids(zoe, eve));
});

test("shared scope: users who start sharing a chat hear each other at once; on leaving, nothing", async (t) => {
  const { url, connect, direct, group, users } = await chatFixture(t, ["ana", "ben", "eve", "zoe"]);
  const [ana, ben, eve, zoe] = users;
  // Everything a socket heard is recorded from its creation: no listening windows to miss.
  const hears = (socket: TestSocket, what: string) =>
    eventually(() => assert.ok(heard(socket).includes(what), `${what} in ${heard(socket)}`));
  const team = await group(ana, [ben], "team");
  const anaSocket = await connect(ana);
  const benSocket = await connect(ben);
  const eveSocket = await connect(eve);
  assert.deepEqual(await listed(eveSocket), ids(eve));

  // A member added while online: eve hears ana and ben, and they hear eve.
  const added = await http(url, "POST", `/api/chats/${team.id}/members`, {
    token: ana.token,
    body: { user_id: eve.user.id },
  });
  assert.equal(added.status, 201);
  await hears(eveSocket, `users:online ${ana.user.id}`);
  await hears(eveSocket, `users:online ${ben.user.id}`);
  await hears(anaSocket, `users:online ${eve.user.id}`);
  await hears(benSocket, `users:online ${eve.user.id}`);
  // From then on they are contacts: eve's departure reaches them.
  const eve2 = await connect(eve);
  assert.deepEqual(await listed(eve2), ids(ana, ben, eve));
  eveSocket.disconnect();
  eve2.disconnect();
  await hears(anaSocket, `user:disconnected ${eve.user.id}`);

  // A chat created between two online users who shared nothing: each hears the other.
  const zoeSocket = await connect(zoe);
  assert.deepEqual(await listed(zoeSocket), ids(zoe));
  const chat = await direct(zoe, ben);
  await hears(zoeSocket, `users:online ${ben.user.id}`);
  await hears(benSocket, `users:online ${zoe.user.id}`);

  // Removed (by the owner) and leaving (by oneself): no longer contacts, and told nothing.
  const eveBack = await connect(eve);
  await listed(eveBack);
  const removed = await http(url, "DELETE", `/api/chats/${team.id}/members/${eve.user.id}`, {
    token: ana.token,
  });
  assert.equal(removed.status, 204);
  const left = await http(url, "DELETE", `/api/chats/${chat.id}/members/${zoe.user.id}`, {
    token: zoe.token,
  });
  assert.equal(left.status, 204);
  await settle(eveBack);
  await settle(zoeSocket);
  const eveHeardBefore = heard(eveBack).length;
  const zoeHeardBefore = heard(zoeSocket).length;
  // ana and ben come and go: eve and zoe hear none of it (the barriers come after ben heard).
  anaSocket.disconnect();
  await hears(benSocket, `user:disconnected ${ana.user.id}`);
  const anaAgain = await connect(ana);
  // ben came online after ana first did: this is the first user:connected of ana he hears.
  await hears(benSocket, `user:connected ${ana.user.id}`);
  await settle(eveBack);
  await settle(zoeSocket);
  assert.equal(heard(eveBack).length, eveHeardBefore, "eve heard nothing after her removal");
  assert.equal(heard(zoeSocket).length, zoeHeardBefore, "zoe heard nothing after leaving");
  assert.deepEqual(await listed(anaAgain), ids(ana, ben));
  assert.deepEqual(await listed(await connect(eve)), ids(eve));
});

test("a block parts two users for presence while it lasts, even in a group they share", async (t) => {
  const { url, connect, group, users } = await chatFixture(t, ["ana", "ben", "eve"]);
  const [ana, ben, eve] = users;
  const count = (socket: TestSocket, what: string) =>
    heard(socket).filter((e) => e === what).length;
  const hears = (socket: TestSocket, what: string, times = 1) =>
    eventually(() => assert.equal(count(socket, what), times, `${what} in ${heard(socket)}`));
  const blocks = (by: typeof ana, method: "PUT" | "DELETE", whom: typeof ana) =>
    http(url, method, `/api/users/me/blocks/${whom.user.id}`, { token: by.token });
  const onlineTo = async (viewer: typeof ana, whom: typeof ana) =>
    (await http(url, "GET", `/api/users?ids=${whom.user.id}`, { token: viewer.token })).body
      .users[0].online;
  await group(ana, [ben, eve], "team");
  const anaSocket = await connect(ana);
  const eveSocket = await connect(eve);
  const benSocket = await connect(ben);
  await hears(anaSocket, `users:online ${ben.user.id}`);

  // ben blocks ana: each sees the other go, at once.
  assert.equal((await blocks(ben, "PUT", ana)).status, 204);
  await hears(anaSocket, `user:disconnected ${ben.user.id}`);
  await hears(benSocket, `user:disconnected ${ana.user.id}`);
  assert.deepEqual(await listed(await connect(ana)), ids(ana, eve));
  const benSecond = await connect(ben);
  assert.deepEqual(await listed(benSecond), ids(ben, eve));
  assert.equal(await onlineTo(ana, ben), false, "ben shows offline to ana");
  assert.equal(await onlineTo(ben, ana), false, "and ana to ben");
  assert.equal(await onlineTo(eve, ben), true, "eve still sees him");

  // ben's goings and comings reach eve, not ana (the barrier: eve heard them).
  const anaHeard = heard(anaSocket).length;
  const benThird = await connect(ben);
  await listed(benThird);
  for (const socket of [benSocket, benSecond, benThird]) socket.disconnect();
  await hears(eveSocket, `user:disconnected ${ben.user.id}`);
  await eventually(async () => assert.equal(await onlineTo(eve, ben), false));
  const benBack = await connect(ben);
  await hears(eveSocket, `user:connected ${ben.user.id}`, 2);
  await settle(anaSocket);
  assert.equal(heard(anaSocket).length, anaHeard, "ana heard nothing of ben");

  // A block both ways: lifting one keeps them apart; lifting the last reunites them.
  assert.equal((await blocks(ana, "PUT", ben)).status, 204);
  assert.equal((await blocks(ben, "DELETE", ana)).status, 204);
  assert.deepEqual(await listed(await connect(ana)), ids(ana, eve));
  assert.equal((await blocks(ana, "DELETE", ben)).status, 204);
  await hears(anaSocket, `users:online ${ben.user.id}`, 2);
  await hears(benBack, `users:online ${ana.user.id}`);
  assert.deepEqual(await listed(await connect(ana)), ids(ana, ben, eve));
  assert.equal(await onlineTo(ana, ben), true);
});

test("with PRESENCE_SCOPE=everyone, a blocked user is still nobody's presence to the blocker", async (t) => {
  const { url, connect, users } = await chatFixture(t, ["ana", "ben", "eve"], {
    presenceScope: "everyone",
  });
  const [ana, ben, eve] = users;
  const blocked = await http(url, "PUT", `/api/users/me/blocks/${ben.user.id}`, {
    token: ana.token,
  });
  assert.equal(blocked.status, 204);
  const eveSocket = await connect(eve);
  const anaSocket = await connect(ana);
  assert.deepEqual(await listed(anaSocket), ids(ana, eve));
  const benSocket = await connect(ben);
  assert.deepEqual(await listed(benSocket), ids(ben, eve));
  await eventually(() => assert.ok(heard(eveSocket).includes(`users:online ${ben.user.id}`)));
  await settle(anaSocket);
  assert.ok(!heard(anaSocket).some((e) => e.endsWith(ben.user.id)), `${heard(anaSocket)}`);
});
