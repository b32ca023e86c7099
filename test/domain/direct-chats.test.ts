/**
 * A pair of users has at most one direct chat, even when both open it at the same moment on
 * several nodes: one request creates it, every other one gets that same chat.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test, type TestContext } from "node:test";
import pino from "pino";
import type { DatabaseConfig } from "../../src/server/config.ts";
import { createChatService } from "../../src/server/domain/chats.ts";
import type { ChatEvents } from "../../src/server/domain/events.ts";
import { openStore } from "../../src/server/storage/open.ts";
import type { Store } from "../../src/server/storage/store.ts";
import { createTestDatabase, postgresUrl, skipLoudly } from "../support/server.ts";

const log = pino({ level: "silent" });
/** Every announcement the services make, by name (no sockets here). */
function recordingEvents(): { events: ChatEvents; announced: string[] } {
  const announced: string[] = [];
  const events = new Proxy({} as ChatEvents, {
    get: (_, name) => () => announced.push(String(name)),
  });
  return { events, announced };
}

async function race(t: TestContext, database: DatabaseConfig, nodes: number) {
  const stores: Store[] = [];
  for (let i = 0; i < nodes; i++) {
    const store = await openStore(database, log);
    t.after(() => store.close());
    stores.push(store);
  }
  const { events, announced } = recordingEvents();
  const services = stores.map((store) => createChatService({ store, events }));
  const users = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      stores[0]!.users.create({ id: randomUUID(), username: `pair_${i}`, password_hash: "h" }),
    ),
  );
  // Four pairs; each opens the chat from both sides, on every node, at once.
  for (let p = 0; p < 4; p++) {
    const [a, b] = [users[2 * p]!, users[2 * p + 1]!];
    const results = await Promise.all(
      services.flatMap((service) => [
        service.create(a.id, { type: "direct", member_ids: [b.id] }),
        service.create(b.id, { type: "direct", member_ids: [a.id] }),
      ]),
    );
    const ids = new Set(results.map((r) => r.chat.id));
    assert.equal(ids.size, 1, "one chat per pair");
    assert.equal(results.filter((r) => r.created).length, 1, "created once");
    assert.deepEqual(announced.splice(0), ["chatCreated"], "announced once");
    for (const { chat } of results) {
      assert.deepEqual(chat.members.map((m) => m.user_id).sort(), [a.id, b.id].sort());
    }
  }
}

test("PGlite: both sides opening a direct chat at once get one chat", async (t) => {
  await race(t, { kind: "pglite", dataDir: undefined }, 1);
});

test("PostgreSQL: both sides opening a direct chat at once on three nodes get one chat", async (t) => {
  const server = postgresUrl();
  if (!server) return skipLoudly(t, "direct chat race on PostgreSQL");
  const url = await createTestDatabase(t, server);
  await race(t, { kind: "postgres", url, poolSize: 4 }, 3);
});
