/**
 * Presence on one node: sockets are counted per user. The first socket announces
 * user:connected and users:online to everyone else, the last one user:disconnected;
 * every connecting socket gets users:list, each online user once.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  connectSocket,
  eventually,
  firstEvent,
  nextEvent,
  received,
  settle,
} from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("presence counts sockets per user", async (t) => {
  const { connect, users } = await chatFixture(t, ["ana", "ben", "eve"]);
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
  assert.deepEqual(await benHearsConnected, { user_id: ana.user.id, username: "ana" });
  assert.deepEqual(await benHearsOnline, { user_id: ana.user.id, username: "ana" });
  const anaList = await firstEvent(ana1, "users:list");
  assert.deepEqual(names(anaList), ["ana", "ben"]);
  assert.deepEqual(
    anaList.users.find((u: any) => u.username === "ben"),
    { user_id: ben.user.id, username: "ben" },
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
  const { url, connect, users } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
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
