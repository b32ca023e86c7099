/**
 * Store fixtures: a store opened on each backend for the contract suites in test/storage/
 * (one suite per entity store, each run on PGlite and on PostgreSQL), and the few rows they
 * all need. A new entity store's suite is `onEveryBackend("Reactions", async (t, store) => …)`.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test, type TestContext } from "node:test";
import pino from "pino";
import type { DatabaseConfig } from "../../src/server/config.ts";
import type { AppendResult, NewMessage } from "../../src/server/storage/message-store.ts";
import { openStore } from "../../src/server/storage/open.ts";
import type { Store } from "../../src/server/storage/store.ts";
import { createTestDatabase, postgresUrl, skipLoudly } from "./server.ts";

const log = pino({ level: "silent" });

/** Opens (and migrates) a store, closed when the test ends. */
export async function openTestStore(t: TestContext, database: DatabaseConfig): Promise<Store> {
  const store = await openStore(database, log);
  t.after(() => store.close());
  return store;
}

/** A fresh PostgreSQL database on TEST_DATABASE_URL, or undefined after skipping `t` loudly. */
export async function postgresDatabase(
  t: TestContext,
  what: string,
  poolSize = 5,
): Promise<DatabaseConfig | undefined> {
  const server = postgresUrl();
  if (!server) {
    skipLoudly(t, what);
    return undefined;
  }
  return { kind: "postgres", url: await createTestDatabase(t, server), poolSize };
}

/** Runs `suite` as two tests: on in-memory PGlite and on a fresh PostgreSQL database. */
export function onEveryBackend(
  name: string,
  suite: (t: TestContext, store: Store) => Promise<void>,
): void {
  test(`${name} on PGlite (in memory)`, async (t) => {
    await suite(t, await openTestStore(t, { kind: "pglite", dataDir: undefined }));
  });
  test(`${name} on PostgreSQL`, async (t) => {
    const database = await postgresDatabase(t, `${name} on PostgreSQL`);
    if (database) await suite(t, await openTestStore(t, database));
  });
}

export function newUser(store: Store, username = `u_${randomUUID().slice(0, 8)}`) {
  return store.users.create({ id: randomUUID(), username, password_hash: "not-a-real-hash" });
}

export function newGroup(store: Store, ownerId: string, memberIds: string[]) {
  return store.chats.create({
    id: randomUUID(),
    type: "group",
    name: "team",
    created_by: ownerId,
    direct_key: null,
    member_ids: memberIds,
  });
}

/** A message to append (not yet stored). */
export function newMessage(
  chatId: string,
  senderId: string,
  body: string,
  clientMsgId: string | null = null,
): NewMessage {
  return {
    id: randomUUID(),
    chat_id: chatId,
    sender_id: senderId,
    body,
    client_msg_id: clientMsgId,
  };
}

/** Appends one message on its own. */
export async function appendOne(store: Store, message: NewMessage): Promise<AppendResult> {
  const [result] = await store.messages.append([message]);
  assert.ok(result);
  return result;
}
