/**
 * The Store as a whole, on every backend: it answers while open, and once the database is
 * gone every entity store says StoreUnavailable (answered UNAVAILABLE), not a driver error.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { StoreUnavailable } from "../../src/server/storage/errors.ts";
import { newGroup, newMessage, newUser, onEveryBackend } from "../support/stores.ts";

onEveryBackend("Store", async (t, store) => {
  await t.test("ping answers while open", async () => {
    await store.ping();
  });

  await t.test("after close, every entity store fails with StoreUnavailable", async () => {
    const owner = await newUser(store);
    const chat = await newGroup(store, owner.id, []);
    await store.close();
    const unavailable = (error: unknown) => error instanceof StoreUnavailable;
    await assert.rejects(store.ping(), unavailable);
    await assert.rejects(store.users.findById(owner.id), unavailable);
    await assert.rejects(newUser(store), unavailable);
    await assert.rejects(store.chats.get(chat.id), unavailable);
    await assert.rejects(newGroup(store, owner.id, []), unavailable, "in a transaction");
    await assert.rejects(
      store.messages.append([newMessage(chat.id, owner.id, "lost")]),
      unavailable,
    );
    await assert.rejects(store.messages.edit(randomUUID(), "x"), unavailable);
    await store.close(); // closing twice is harmless
  });
});
