/**
 * The original document (websockets.es.md), replayed verbatim: a client written literally
 * from it (no acknowledgement callbacks, sender_id and status in the payload), given a token,
 * works unchanged; and a non-member sees none of it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eventually, nextEvent, recordEvents, firstEvent } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("the original document's examples work as written", async (t) => {
  // The original document's presence: every other connected client (PRESENCE_SCOPE=everyone).
  const { connect, direct, users } = await chatFixture(t, ["ana", "ben", "eve"], {
    presenceScope: "everyone",
  });
  const [ana, ben, eve] = users;
  const chat = await direct(ana, ben);

  const benSocket = await connect(ben);
  const eveSocket = await connect(eve);
  const benSeen = recordEvents(benSocket);
  const eveSeen = recordEvents(eveSocket);

  // "Conectar un usuario": every other client hears user:connected (and users:online).
  const isAna = (u: { user_id: string }) => u.user_id === ana.user.id;
  const benHearsAna = nextEvent(benSocket, "user:connected", isAna);
  const benHearsOnline = nextEvent(benSocket, "users:online", isAna);
  const socket = await connect(ana);
  const anaList = firstEvent(socket, "users:list");
  socket.emit("user:connected", { user_id: ana.user.id, username: "ana" });
  // The server answers user:connected with users:list again.
  const anaListAgain = nextEvent(socket, "users:list");
  // A superset of the original's payload (v2 adds display_name and avatar_url).
  const heard: any = await benHearsAna;
  assert.deepEqual([heard.user_id, heard.username], [ana.user.id, "ana"]);
  const online: any = await benHearsOnline;
  assert.deepEqual([online.user_id, online.username], [ana.user.id, "ana"]);
  const list = await anaList;
  assert.deepEqual(list.users.map((u: { username: string }) => u.username).sort(), [
    "ana",
    "ben",
    "eve",
  ]);
  assert.equal((await anaListAgain).users.length, 3);

  // "Enviar un mensaje nuevo"
  const anaGetsOwn = nextEvent(socket, "message:send");
  const benGets = nextEvent(benSocket, "message:send");
  socket.emit("message:send", {
    chat_id: chat.id,
    sender_id: ana.user.id,
    body: "Hello World!",
    status: "sent",
  });
  const sent = await benGets;
  assert.equal((await anaGetsOwn).id, sent.id);
  assert.match(sent.id, /^[0-9a-f-]{36}$/);
  assert.equal(sent.chat_id, chat.id);
  assert.equal(sent.sender_id, ana.user.id);
  assert.equal(sent.body, "Hello World!");
  assert.equal(sent.status, "sent");
  assert.ok(!Number.isNaN(Date.parse(sent.created_at)));

  // "Actualizar un mensaje"
  const benGetsUpdate = nextEvent(benSocket, "message:update");
  socket.emit("message:update", {
    id: sent.id,
    body: "Updated message content",
    status: "updated",
  });
  const updated = await benGetsUpdate;
  assert.equal(updated.id, sent.id);
  assert.equal(updated.body, "Updated message content");
  assert.equal(updated.status, "updated");
  assert.ok(!Number.isNaN(Date.parse(updated.updated_at)));

  // "Eliminar un mensaje"
  const benGetsDelete = nextEvent(benSocket, "message:delete");
  socket.emit("message:delete", { id: sent.id });
  assert.equal((await benGetsDelete).id, sent.id);

  // "Desconectar un usuario": the server ends the socket and everyone else hears it.
  const benHearsGone = nextEvent(benSocket, "user:disconnected");
  socket.emit("user:disconnected", { user_id: ana.user.id });
  assert.deepEqual(await benHearsGone, { user_id: ana.user.id });
  await eventually(() => assert.equal(socket.connected, false));

  // Nothing of the chat reached the non-member; presence did.
  const eveEvents = eveSeen.map((e) => e.event);
  assert.ok(!eveEvents.some((e) => e.startsWith("message:")), `eve saw ${eveEvents.join(", ")}`);
  assert.ok(eveEvents.includes("user:connected"));
  assert.ok(benSeen.some((e) => e.event === "message:send"));
  // No error was reported to anyone.
  assert.ok(![...benSeen, ...eveSeen].some((e) => e.event === "error"));
});
