/** ChatStore's update (name, description) and per-member mute, on every backend. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { newGroup, newUser, onEveryBackend } from "../support/stores.ts";

onEveryBackend("ChatStore update and mute", async (_t, store) => {
  const [ana, ben] = await Promise.all([newUser(store), newUser(store)]);
  const chat = await newGroup(store, ana.id, [ben.id]);
  assert.equal(chat.description, null);

  const described = await store.chats.update(chat.id, { description: "¿Qué cenamos?" });
  assert.equal(described?.name, "team", "what is not given stays");
  assert.equal(described?.description, "¿Qué cenamos?");
  const renamed = await store.chats.update(chat.id, { name: "Cena", description: null });
  assert.deepEqual([renamed?.name, renamed?.description], ["Cena", null]);
  assert.equal(await store.chats.update(randomUUID(), { name: "x" }), undefined);

  assert.equal(await store.chats.setMuted(chat.id, ben.id, true), true);
  const [benItem] = await store.chats.listOf(ben.id);
  const [anaItem] = await store.chats.listOf(ana.id);
  assert.deepEqual([benItem?.muted, anaItem?.muted], [true, false]);
  assert.equal(await store.chats.setMuted(chat.id, randomUUID(), true), false, "not a member");
});
