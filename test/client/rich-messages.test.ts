/**
 * Replies and reactions through @charla/client: `send(…, { replyToId })`, `react` /
 * `unreact` on the connection and the HTTP API, `message:reactions` delivered once per
 * change, and a reaction missed while away caught up as the message's newer state.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Reactions } from "@charla/client";
import { eventually } from "../support/clients.ts";
import { startServer } from "../support/server.ts";
import { openClient, person } from "./support.ts";

test("replies and reactions through the client, live and after a reconnect", async (t) => {
  const { url } = await startServer(t);
  const ana = await person(url);
  const ben = await person(url);
  const chat = await ana.api.createChat({ type: "direct", member_ids: [ben.user.id] });
  const anaClient = openClient(t, url, ana.token);
  const benClient = openClient(t, url, ben.token);
  await Promise.all([anaClient.ready(), benClient.ready()]);
  const anaSaw: Reactions[] = [];
  anaClient.on("message:reactions", (event) => anaSaw.push(event));

  const question = await anaClient.send(chat.id, "¿Cine esta noche?");
  const answer = await benClient.send(chat.id, "¡Sí!", { replyToId: question.id });
  assert.deepEqual(answer.reply_to, {
    id: question.id,
    sender_id: ana.user.id,
    body: "¿Cine esta noche?",
    status: "sent",
  });

  const reacted = await benClient.react(question.id, "🎬");
  assert.deepEqual(reacted.reactions, [{ emoji: "🎬", count: 1, user_ids: [ben.user.id] }]);
  await benClient.react(question.id, "🎬"); // twice is once
  const viaHttp = await ana.api.react(question.id, "🎬");
  assert.equal(viaHttp.reactions[0]?.count, 2);
  await eventually(() =>
    assert.deepEqual(
      anaSaw.map((e) => e.change_seq),
      [reacted.change_seq, viaHttp.change_seq],
    ),
  );

  // Ana is away while ben takes his reaction back: catch-up brings the message's new state.
  const updates: number[] = [];
  anaClient.on("message:update", (m) => m.id === question.id && updates.push(m.change_seq));
  let synced = 0;
  anaClient.on("connection:synced", () => (synced += 1));
  const reconnecting = new Promise<void>((resolve) =>
    anaClient.on("connection:state", (s) => s === "reconnecting" && resolve()),
  );
  anaClient.socket.io.reconnection(false);
  anaClient.socket.io.engine.close();
  await reconnecting;
  const taken = await ben.api.unreact(question.id, "🎬");
  assert.equal(taken.reactions[0]?.count, 1);
  anaClient.socket.io.reconnection(true);
  anaClient.socket.connect();
  await eventually(() => assert.equal(synced, 1), 10_000);
  assert.deepEqual(updates, [taken.change_seq]);
});
