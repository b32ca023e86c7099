/**
 * Message search in the store, on every backend: every word a whole word, any letter case,
 * with or without accents (Spanish and English), deleted never found, edited found by the
 * new text only, over the caller's chats, newest first with a cursor — the same answers
 * before the indexer has run, after it, and with changes made after it ran (migration 0020).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import pg from "pg";
import type { Store } from "../../src/server/storage/store.ts";
import {
  appendOne,
  newGroup,
  newMessage,
  newUser,
  onEveryBackend,
  openTestStore,
  postgresDatabase,
} from "../support/stores.ts";

onEveryBackend("MessageStore search", async (_t, store) => {
  const [ana, ben, eve] = await Promise.all([newUser(store), newUser(store), newUser(store)]);
  const ours = await newGroup(store, ana.id, [ben.id]);
  const hers = await newGroup(store, eve.id, []);
  const send = async (chatId: string, senderId: string, body: string) => {
    const result = await appendOne(store, newMessage(chatId, senderId, body));
    assert.ok(result.kind === "stored");
    return result.message;
  };
  const canción = await send(ours.id, ana.id, "La CANCIÓN de Ñandú, ¿la oíste?");
  const song = await send(ours.id, ben.id, "What a song! Café after?");
  const corriendo = await send(ours.id, ben.id, "Estoy corriendo al café");
  const edited = await send(ours.id, ana.id, "old words here");
  const deleted = await send(ours.id, ana.id, "secreto borrado");

  const found = async (q: string, options: { chatId?: string; beforeId?: string } = {}) =>
    (await store.messages.search(ben.id, q, { limit: 20, ...options })).messages.map((m) => m.body);

  // Nothing indexed yet: found from the messages themselves.
  assert.deepEqual(await found("cafe"), [corriendo.body, song.body], "before indexing");
  assert.deepEqual(await found("old words"), [edited.body]);
  await indexEverything(store);
  assert.deepEqual(await found("cafe"), [corriendo.body, song.body], "after indexing");
  assert.deepEqual(await found("secreto"), [deleted.body]);

  // Changed after the indexer ran: the indexed text of these two must not answer any more.
  const ascii = await send(ours.id, ben.id, "NOS VEMOS MANANA");
  await send(hers.id, eve.id, "cancion de eve");
  await store.messages.edit(edited.id, "brand new text");
  await store.messages.delete(deleted.id);
  await expectTheSameAnswers();
  await indexEverything(store);
  assert.equal(await store.searchIndex.chatsBehind(), 0);
  await expectTheSameAnswers();
  await store.reactions.add(song.id, ana.id, "👍");
  assert.deepEqual(await found("song"), [song.body], "a reaction changes nothing found");
  await indexEverything(store);
  assert.deepEqual(await found("song"), [song.body]);

  async function expectTheSameAnswers() {
    assert.deepEqual(await found("cancion"), [canción.body], "without accents, other chats out");
    assert.deepEqual(await found("Canción ñandu"), [canción.body], "every word, any case");
    assert.deepEqual(await found("cancion perro"), [], "every word must match");
    assert.deepEqual(await found("CAFE"), [corriendo.body, song.body], "newest first");
    assert.deepEqual(await found("caf"), [], "whole words only");
    assert.deepEqual(await found("corre"), [], "nothing stemmed");
    assert.deepEqual(await found("SONG"), [song.body]);
    // Folded two ways (migration 0018): ASCII text by lower() alone, the rest by translate().
    assert.deepEqual(await found("Mañana"), [ascii.body], "ASCII text, accented query");
    assert.deepEqual(await found("old"), [], "edited: old text gone");
    assert.deepEqual(await found("brand new"), ["brand new text"]);
    assert.deepEqual(await found("secreto"), [], "deleted never found");
    assert.deepEqual(await found("cafe", { chatId: hers.id }), [], "only the caller's chats");
    assert.equal(
      (await store.messages.search(eve.id, "cancion", { limit: 20 })).messages.length,
      1,
    );

    const first = await store.messages.search(ben.id, "café", { limit: 1 });
    assert.deepEqual([first.messages[0]?.id, first.has_more], [corriendo.id, true]);
    const next = await store.messages.search(ben.id, "café", {
      limit: 1,
      beforeId: first.messages[0]!.id,
    });
    assert.deepEqual([next.messages[0]?.id, next.has_more], [song.id, false]);
  }
});

onEveryBackend("search indexer shares each pass among the chats behind", async (_t, store) => {
  const ana = await newUser(store);
  const chats = [
    await newGroup(store, ana.id, []),
    await newGroup(store, ana.id, []),
    await newGroup(store, ana.id, []),
  ];
  for (const chat of chats) {
    for (const body of ["first", "second"]) {
      await appendOne(store, newMessage(chat.id, ana.id, `${body} in ${chat.id}`));
    }
  }
  // Room for three changes: each chat's oldest, whichever chat sorts first. Taken in the
  // order of the chats, one chat would be done and one not started.
  assert.deepEqual(await store.searchIndex.indexPending(3), { indexed: 3, more: true });
  assert.equal(await store.searchIndex.chatsBehind(), 3, "every chat got one, none got two");
  assert.deepEqual(await store.searchIndex.indexPending(3), { indexed: 3, more: true });
  assert.equal(await store.searchIndex.chatsBehind(), 0);
  const found = await store.messages.search(ana.id, "second", { limit: 5 });
  assert.equal(found.messages.length, 3);
});

/** Runs the indexer's passes until nothing is left, as the server does after commits. */
async function indexEverything(store: Store): Promise<void> {
  for (;;) {
    const pass = await store.searchIndex.indexPending(2);
    assert.ok(pass, "no other indexer runs here");
    if (!pass.more) return;
  }
}

test("two nodes on one PostgreSQL: one indexes at a time, the other is told to come back", async (t) => {
  const database = await postgresDatabase(t, "search indexing from two nodes");
  if (!database || database.kind !== "postgres") return;
  const [first, second] = [await openTestStore(t, database), await openTestStore(t, database)];
  const ana = await newUser(first);
  const chat = await newGroup(first, ana.id, []);
  await appendOne(first, newMessage(chat.id, ana.id, "hola desde un nodo"));

  // Another node in the middle of a pass holds the indexer's lock.
  const other = new pg.Client({ connectionString: database.url });
  await other.connect();
  await other.query("BEGIN");
  await other.query("SELECT pg_advisory_xact_lock(hashtext('charla:search-index'))");
  assert.equal(await second.searchIndex.indexPending(100), undefined);
  assert.equal(await second.searchIndex.chatsBehind(), 1);
  await other.query("COMMIT");
  await other.end();

  assert.deepEqual(await second.searchIndex.indexPending(100), { indexed: 1, more: false });
  assert.equal(await first.searchIndex.chatsBehind(), 0);
  const found = await first.messages.search(ana.id, "nodo", { limit: 5 });
  assert.deepEqual(
    found.messages.map((m) => m.body),
    ["hola desde un nodo"],
  );
});
