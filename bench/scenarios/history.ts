/**
 * History and catch-up at size (issue 13), on PostgreSQL and on PGlite: one chat of
 * 1,000,000 messages (seeded in SQL, not through the API; 1 % of them edited afterwards, so
 * change_seq runs past seq) and a user in 2,000 chats. Times the store's own calls, the SQL
 * behind `GET /api/chats/:id/messages`, `sync` and the connect:
 * - a history page (50, the default): the newest, and one before a random seq;
 * - a catch-up page (200, the default) of the big chat from a random change_seq, through
 *   `changesForMember` as `sync` asks it;
 * - the user in 2,000 chats: its handshake read, its contacts, its chat list and its `sync`
 *   (20 chats with something new), each one statement or a fixed few whatever the number of
 *   chats (test/realtime/connect-queries.test.ts counts them).
 * The database is dropped (PostgreSQL) or deleted (PGlite) afterwards.
 */
import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { DatabaseConfig } from "../../src/server/config.ts";
import type { SqlDriver } from "../../src/server/storage/drivers/driver.ts";
import { migrate } from "../../src/server/storage/migrate.ts";
import { openDriver } from "../../src/server/storage/open.ts";
import { createSqlStore } from "../../src/server/storage/sql/sql-store.ts";
import { databaseUrl, pgAdmin } from "../lib/pg.ts";
import { describe, machineLoadNote, timeEach, type Latency } from "../lib/timing.ts";

export type HistoryBackend = "pg" | "pglite";

export interface HistoryBenchResult {
  backend: HistoryBackend;
  messages: number;
  chatsOfBusyUser: number;
  seedSeconds: number;
  machineLoad: string;
  /** Each timed call: name → latency. The targets are history and catch-up p95 ≤ 10 ms. */
  timings: Record<string, Latency>;
}

const HISTORY_LIMIT = 50;
const SYNC_LIMIT = 200;
const SMALL_CHATS = 1999;
const MESSAGES_PER_SMALL_CHAT = 5;
const CHUNK = 100_000;
/** Issue 13: a history page and a catch-up page each within 10 ms at p95. */
const TARGET_P95_MS = 10;

/**
 * Users 0…1999; chat 0 (the big one) with users 0…9 and `total` messages, 1 % of them edited;
 * chats 1…1999, each user 0 with user i and 5 messages. User 0 is thus in 2,000 chats.
 */
export async function seedHistoryCorpus(
  db: SqlDriver,
  total: number,
  log: (s: string) => void,
): Promise<void> {
  await db.exec(`
    INSERT INTO users (id, username, password_hash)
    SELECT gen_random_uuid(), 'h' || lpad(i::text, 4, '0'), 'x' FROM generate_series(0, 1999) i;
    INSERT INTO chats (id, type, name, created_by)
    SELECT gen_random_uuid(), 'group', 'c' || lpad(i::text, 4, '0'),
           (SELECT id FROM users WHERE username = 'h0000')
      FROM generate_series(0, ${SMALL_CHATS}) i;
    CREATE TABLE bench_users AS
      SELECT (row_number() OVER (ORDER BY username) - 1)::int AS n, id FROM users;
    CREATE TABLE bench_chats AS
      SELECT (row_number() OVER (ORDER BY name) - 1)::int AS n, id FROM chats;
    INSERT INTO chat_members (chat_id, user_id, role)
    SELECT c.id, u.id, CASE WHEN u.n = 0 THEN 'owner' ELSE 'member' END
      FROM bench_chats c JOIN bench_users u ON (c.n = 0 AND u.n < 10) OR (c.n > 0 AND u.n IN (0, c.n));
    -- A per-row check of direct chats' blocks; these are groups, and it would triple the seed.
    ALTER TABLE messages DISABLE TRIGGER messages_refuse_blocked_send;
    INSERT INTO messages (id, chat_id, sender_id, body, status, seq, change_seq, created_at)
    SELECT gen_random_uuid(), c.id, u.id, 'hola ' || k || ', ¿qué tal?', 'sent', k, k,
           now() - make_interval(secs => 10 - k)
      FROM bench_chats c CROSS JOIN generate_series(1, ${MESSAGES_PER_SMALL_CHAT}) k
      JOIN bench_users u ON u.n = CASE WHEN k % 2 = 0 THEN 0 ELSE c.n END
     WHERE c.n > 0;`);
  const big = `(SELECT id FROM bench_chats WHERE n = 0)`;
  for (let from = 1; from <= total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK - 1);
    await db.query(
      `INSERT INTO messages (id, chat_id, sender_id, body, status, seq, change_seq, created_at)
       SELECT gen_random_uuid(), ${big}, u.id,
              'mensaje ' || (i % 1000) || ' de la conversación grande', 'sent', i, i,
              now() - make_interval(secs => ($2 - i))
         FROM generate_series($1::int, $3::int) i JOIN bench_users u ON u.n = i % 10`,
      [from, total, to],
    );
    log(`history: seeded ${to} messages`);
  }
  // Every hundredth message edited later, in seq order: change_seq total+1 … total + total/100.
  await db.query(
    `UPDATE messages m SET status = 'updated', body = m.body || ' (editado)', updated_at = now(),
            change_seq = $1 + m.seq / 100
      WHERE m.chat_id = ${big} AND m.seq % 100 = 0`,
    [total],
  );
  await db.exec(`
    UPDATE chats SET last_seq = ${MESSAGES_PER_SMALL_CHAT}, last_change_seq = ${MESSAGES_PER_SMALL_CHAT}
     WHERE id <> ${big};
    UPDATE chats SET last_seq = ${total}, last_change_seq = ${total + Math.floor(total / 100)}
     WHERE id = ${big};
    -- Everyone has read all but the last 3 messages of each chat; the busy user has read
    -- everything but 2 messages in 20 chats (the 20 its sync finds news in).
    UPDATE chat_members m SET last_read_seq = greatest(0, c.last_seq - 3)
      FROM chats c WHERE c.id = m.chat_id;
    UPDATE chat_members m SET last_read_seq = c.last_seq - CASE WHEN b.n <= 20 THEN 2 ELSE 0 END
      FROM chats c, bench_chats b, bench_users u
     WHERE c.id = m.chat_id AND b.id = c.id AND u.id = m.user_id AND u.n = 0;
    ALTER TABLE messages ENABLE TRIGGER messages_refuse_blocked_send;`);
}

export async function runHistoryBench(
  backend: HistoryBackend,
  pgUrl: string | undefined,
  log: (s: string) => void,
  options: { messages?: number; queries?: number } = {},
): Promise<HistoryBenchResult> {
  const total = options.messages ?? 1_000_000;
  const queries = options.queries ?? 400;
  const name = `charla_bench_history_${Date.now()}`;
  let dataDir: string | undefined;
  let database: DatabaseConfig;
  if (backend === "pg") {
    await pgAdmin(pgUrl!, `create database ${name}`);
    database = { kind: "postgres", url: databaseUrl(pgUrl!, name), poolSize: 2 };
  } else {
    dataDir = mkdtempSync(join(tmpdir(), "charla-bench-history-"));
    database = { kind: "pglite", dataDir };
  }
  const driver = await openDriver(database, pino({ level: "silent" }));
  try {
    await migrate(driver);
    // The store's last statement, kept so that a figure that misses its target can be
    // shown with its plan (EXPLAIN ANALYZE of the same SQL and parameters).
    let last: { text: string; params: readonly unknown[] } | undefined;
    const store = createSqlStore({
      ...driver,
      query: (text, params) => {
        last = { text, params: params ?? [] };
        return driver.query(text, params);
      },
    } as SqlDriver);
    const machineLoad = await machineLoadNote();
    log(`history ${backend}: seeding ${total} messages in one chat; ${machineLoad}`);
    const seedStart = performance.now();
    // Search documents are not seeded: the search index is off the send path (migration
    // 0020), so history and catch-up read the same tables with or without them.
    await seedHistoryCorpus(driver, total, log);
    await driver.exec("VACUUM ANALYZE");
    const seedSeconds = (performance.now() - seedStart) / 1000;
    log(`history ${backend}: seeded in ${seedSeconds.toFixed(0)} s`);

    const ids = async (table: string, n: number) =>
      (await driver.query<{ id: string }>(`SELECT id FROM ${table} WHERE n = $1`, [n]))[0]!.id;
    const bigChat = await ids("bench_chats", 0);
    const busyUser = await ids("bench_users", 0);
    const bigMember = await ids("bench_users", 1);
    const lastChange = total + Math.floor(total / 100);
    // The busy user's cursors: every chat up to date but 20, which are 2 changes behind.
    const cursors = new Map(
      (
        await driver.query<{ chat_id: string; cursor: number }>(
          `SELECT m.chat_id, c.last_change_seq - CASE WHEN b.n <= 20 THEN 2 ELSE 0 END AS cursor
             FROM chat_members m JOIN chats c ON c.id = m.chat_id JOIN bench_chats b ON b.id = c.id
            WHERE m.user_id = $1`,
          [busyUser],
        )
      ).map((row) => [row.chat_id, Number(row.cursor)]),
    );
    const chatsOfBusyUser = cursors.size;

    const timings: Record<string, Latency> = {};
    const time = async (
      label: string,
      run: (i: number) => Promise<unknown>,
      count = queries,
      targetP95Ms?: number,
    ) => {
      timings[label] = await timeEach(count, run, Math.min(20, count));
      log(`history ${backend}: ${label}: ${describe(timings[label])}`);
      if (targetP95Ms !== undefined && timings[label].p95Ms > targetP95Ms && last) {
        // Missed: the plan of the last call's statement, run once more under EXPLAIN.
        const plan = await driver.query<{ "QUERY PLAN": string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${last.text}`,
          last.params,
        );
        log(
          `history ${backend}: ${label}: p95 over ${targetP95Ms} ms; plan of its statement:\n` +
            plan.map((row) => `    ${row["QUERY PLAN"]}`).join("\n"),
        );
      }
    };
    const check = (ok: boolean, what: string) => {
      if (!ok) throw new Error(`history ${backend}: ${what}`);
    };

    await time(
      "history: newest page",
      async () => {
        const page = await store.messages.history(bigChat, { limit: HISTORY_LIMIT });
        check(page.messages.at(-1)?.seq === total, "the newest page ends at the last message");
      },
      queries,
      TARGET_P95_MS,
    );
    await time(
      "history: page before a random seq",
      async () => {
        const before = 1 + randomInt(HISTORY_LIMIT, total);
        const page = await store.messages.history(bigChat, {
          limit: HISTORY_LIMIT,
          before_seq: before,
        });
        check(page.messages.at(-1)?.seq === before - 1, "a page ends just before its cursor");
      },
      queries,
      TARGET_P95_MS,
    );
    await time(
      "sync: catch-up page of the big chat from a random change_seq",
      async () => {
        const after = randomInt(0, lastChange - SYNC_LIMIT);
        const chats = await store.messages.changesForMember(
          bigMember,
          new Map([[bigChat, after]]),
          SYNC_LIMIT,
        );
        const chat = chats.find((c) => c.chat_id === bigChat);
        // An edited message left a gap at its old change_seq: the next one or the one after.
        const first = chat?.messages[0]?.change_seq ?? 0;
        check(first > after && first <= after + 2, "a page starts just after its cursor");
        check(chat?.messages.length === SYNC_LIMIT, "a full page");
      },
      queries,
      TARGET_P95_MS,
    );
    await time(`connect: handshake read (user in ${chatsOfBusyUser} chats)`, async () => {
      const found = await store.users.findWithChats(busyUser);
      check(found?.chatIds.length === chatsOfBusyUser, "every chat id");
    });
    await time(`connect: contacts (user in ${chatsOfBusyUser} chats)`, () =>
      store.chats.contactIdsOf(busyUser),
    );
    await time(`connect: chat list (user in ${chatsOfBusyUser} chats)`, async () => {
      const list = await store.chats.listOf(busyUser);
      check(list.length === chatsOfBusyUser, "every chat listed");
    });
    await time(`sync: user in ${chatsOfBusyUser} chats, 20 with news`, async () => {
      const chats = await store.messages.changesForMember(busyUser, cursors, SYNC_LIMIT);
      check(chats.length === chatsOfBusyUser, "every chat answered");
    });
    // The worst case of the chat list: the big chat never read (its unread messages are
    // counted one by one; nothing else in a connect grows with a chat's size).
    await driver.query(
      "UPDATE chat_members SET last_read_seq = 0 WHERE chat_id = $1 AND user_id = $2",
      [bigChat, busyUser],
    );
    await time(
      `connect: chat list (user in ${chatsOfBusyUser} chats, ${total} unread in one)`,
      () => store.chats.listOf(busyUser),
      5,
    );
    return { backend, messages: total, chatsOfBusyUser, seedSeconds, machineLoad, timings };
  } finally {
    await driver.close();
    if (backend === "pg") await pgAdmin(pgUrl!, `drop database if exists ${name} with (force)`);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
