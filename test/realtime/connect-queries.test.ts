/**
 * What a connect costs the database (issue 13: a user in 2,000 chats connects and syncs in one
 * bounded set of queries): the handshake, its re-check, `users:list`, the chat list
 * (GET /api/chats) and `sync` run the same number of SQL statements for a user in 1 chat as
 * for a user in 300, on every backend. Counted at the driver on a real server.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test, type TestContext } from "node:test";
import type { DatabaseConfig } from "../../src/server/config.ts";
import { createApp } from "../../src/server/app.ts";
import { connectSocket, emitWithAck, firstEvent, http, registerUser } from "../support/clients.ts";
import { testConfig } from "../support/server.ts";
import { postgresDatabase } from "../support/stores.ts";

/**
 * The server's own timers (the webhook dispatcher's watcher and queue, the attachment sweep)
 * query on their own schedule; one that fires inside a measured connect is not the connect's.
 */
const BACKGROUND = /outgoing_webhooks|webhook_deliveries|sweep_claimed_at/;

async function statementsOfAConnect(t: TestContext, database: DatabaseConfig) {
  let statements = 0;
  const app = await createApp(testConfig({ database }), {
    testHooks: {
      onQuery: (text) => {
        if (!BACKGROUND.test(text)) statements += 1;
      },
    },
  });
  t.after(() => app.close());
  const url = await app.listen();

  /** A user in `chats` groups (made in the store: the API's rate limits are not the point). */
  async function userIn(chats: number) {
    const user = await registerUser(url);
    const other = await registerUser(url);
    for (let i = 0; i < chats; i++) {
      await app.store.chats.create({
        id: randomUUID(),
        type: "group",
        name: `g${i}`,
        created_by: user.user.id,
        direct_key: null,
        member_ids: [other.user.id],
      });
    }
    return user;
  }

  /** Connect, users:list, the chat list and a sync from nothing: the statements they ran. */
  async function connectAndSync(user: Awaited<ReturnType<typeof userIn>>, chats: number) {
    const before = statements;
    const socket = await connectSocket(t, url, user.token);
    const online = await firstEvent<{ users: unknown[] }>(socket, "users:list");
    assert.ok(Array.isArray(online.users));
    const list = await http<{ chats: unknown[] }>(url, "GET", "/api/chats", { token: user.token });
    assert.equal(list.body.chats.length, chats);
    const synced = await emitWithAck(socket, "sync", { chats: [] });
    assert.equal(synced.ok, true, JSON.stringify(synced));
    assert.equal(synced.chats.length, chats);
    // Barrier: anything the connect started in the background has run by now (a command
    // waits for the handshake's re-check; one more round trip lets the rest settle).
    assert.equal((await emitWithAck(socket, "sync", { chats: [] })).ok, true);
    const ran = statements - before;
    socket.disconnect();
    return ran;
  }

  const few = await userIn(1);
  const many = await userIn(300);
  // Each twice: the second of each is what a warm server costs, the one compared.
  await connectAndSync(few, 1);
  await connectAndSync(many, 300);
  return { one: await connectAndSync(few, 1), many: await connectAndSync(many, 300) };
}

test("a connect and sync run as many statements for 300 chats as for 1, on PGlite", async (t) => {
  const counts = await statementsOfAConnect(t, { kind: "pglite", dataDir: undefined });
  t.diagnostic(`statements: ${JSON.stringify(counts)}`);
  assert.equal(counts.many, counts.one, JSON.stringify(counts));
  assert.ok(counts.one <= 12, `a fixed few statements (${counts.one})`);
});

test("a connect and sync run as many statements for 300 chats as for 1, on PostgreSQL", async (t) => {
  const database = await postgresDatabase(t, "connect statements on PostgreSQL");
  if (!database) return;
  const counts = await statementsOfAConnect(t, database);
  t.diagnostic(`statements: ${JSON.stringify(counts)}`);
  assert.equal(counts.many, counts.one, JSON.stringify(counts));
  assert.ok(counts.one <= 12, `a fixed few statements (${counts.one})`);
});
