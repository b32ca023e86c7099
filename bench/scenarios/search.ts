/**
 * Search on a big database: seeds 1,000,000 messages in SQL on PostgreSQL (2,000 users, 2,000
 * groups of 10, each user in 10 groups; bodies of 8 words drawn from a 5,000-word vocabulary
 * with a steep skew, so the commonest word is in about a third of all messages), then times
 * the same searches (random members, 1–2 random words drawn with the same skew) twice in the
 * run: with migration 0009's index and query (the words only, then the caller's chats), and
 * with today's (`GET /api/search`'s own SQL, the store's `search`, on 0014's documents kept
 * in 0020's table, filled as the migration fills it), and checks that both found the same
 * messages. The database is dropped afterwards.
 */
import { randomInt } from "node:crypto";
import pg from "pg";
import pino from "pino";
import { openStore } from "../../src/server/storage/open.ts";
import { databaseUrl, pgAdmin } from "../lib/pg.ts";
import { describe, machineLoadNote, timeEach, type Latency } from "../lib/timing.ts";

export interface SearchPass extends Latency {
  index: string;
  indexSeconds: number;
  indexMB: number;
  meanResults: number;
}

export interface SearchBenchResult {
  messages: number;
  seedSeconds: number;
  machineLoad: string;
  /** Migration 0009's index and query, then today's, on the same data and searches. */
  before: SearchPass;
  after: SearchPass;
  /** Searches whose first page differed between the two (must be 0). */
  differingResults: number;
  /** Kept for the earlier runs' readers: today's figures. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

const REAL_WORDS = (
  "hola gracias café mañana canción playa cena casa trabajo reunión viernes sábado domingo " +
  "lunes noche tarde película música fútbol partido niños perro gato coche tren avión hotel " +
  "viaje vacaciones cumpleaños fiesta regalo comida almuerzo desayuno médico farmacia tienda " +
  "hello thanks coffee tomorrow song beach dinner home work meeting friday saturday sunday " +
  "monday night afternoon movie music football match kids dog cat car train plane hotel trip " +
  "holiday birthday party gift lunch breakfast doctor pharmacy shop price report deadline"
).split(" ");
const VOCABULARY = [
  ...REAL_WORDS,
  ...Array.from({ length: 5000 - REAL_WORDS.length }, (_, i) => `palabra${i}`),
];
/** The same skew in SQL and here: index = floor(r³ · n), r uniform in [0, 1). */
const pick = () => VOCABULARY[Math.floor(Math.random() ** 3 * VOCABULARY.length)]!;

/** Migration 0009's query, as it was before 0014 (the words first, the caller's chats after). */
const QUERY_0009 = `
  SELECT id FROM messages m
   WHERE m.chat_id IN (SELECT chat_id FROM chat_members WHERE user_id = $1)
     AND m.status <> 'deleted'
     AND charla_search_vector(m.body) @@ charla_search_query($2)
   ORDER BY m.created_at DESC, m.id DESC
   LIMIT $3`;
const INDEX_0009 = {
  create: `CREATE INDEX messages_search ON messages USING gin (charla_search_vector(body))
    WHERE status <> 'deleted'`,
  size: "pg_relation_size('messages_search')",
  drop: "DROP INDEX messages_search",
};
/** Today's: every document in message_search, as migration 0020 fills it, and its index. */
const INDEX_0020 = {
  create: `
    INSERT INTO message_search (message_id, created_at, document)
      SELECT id, created_at, charla_search_document(chat_id, body) FROM messages
       WHERE status <> 'deleted';
    INSERT INTO search_progress (chat_id, indexed_change_seq)
      SELECT id, last_change_seq FROM chats WHERE last_change_seq > 0;
    CREATE INDEX message_search_document ON message_search USING gin (document);`,
  size: "pg_total_relation_size('message_search')",
  drop: "DROP INDEX message_search_document; TRUNCATE message_search, search_progress",
};

/**
 * 2,000 users in 2,000 groups of 10 (each user in 10), `total` messages spread evenly over
 * the groups, 8 skewed words each, one second apart. Into an empty, migrated database.
 */
export async function seedSearchCorpus(client: pg.Client, total: number): Promise<void> {
  await client.query(`
    INSERT INTO users (id, username, password_hash)
    SELECT gen_random_uuid(), 'u' || i, 'x' FROM generate_series(0, 1999) i;
    CREATE TEMP TABLE u AS SELECT row_number() OVER (ORDER BY username) - 1 AS n, id FROM users;
    INSERT INTO chats (id, type, name, created_by)
    SELECT gen_random_uuid(), 'group', 'g' || i, (SELECT id FROM u WHERE n = i) FROM generate_series(0, 1999) i;
    CREATE TEMP TABLE c AS SELECT row_number() OVER (ORDER BY name) - 1 AS n, id FROM chats;
    INSERT INTO chat_members (chat_id, user_id, role)
    SELECT c.id, u.id, CASE WHEN k = 0 THEN 'owner' ELSE 'member' END
      FROM generate_series(0, 1999) i CROSS JOIN generate_series(0, 9) k
      JOIN c ON c.n = (i + k * 200) % 2000 JOIN u ON u.n = i;`);
  await client.query(
    `INSERT INTO messages (id, chat_id, sender_id, body, status, seq, change_seq, created_at)
     SELECT gen_random_uuid(), c.id, u.id,
            (SELECT string_agg(($1::text[])[1 + floor(power(random(), 3) * $2)::int], ' ')
               FROM generate_series(1, 8) w WHERE w > i - i),
            'sent', i / 2000 + 1, i / 2000 + 1,
            now() - make_interval(secs => ($3 - i))
       FROM generate_series(0, $3 - 1) i
       JOIN c ON c.n = i % 2000
       JOIN u ON u.n = ((i % 2000) + 200 * (i % 10)) % 2000`,
    [VOCABULARY, VOCABULARY.length, total],
  );
  await client.query("UPDATE chats SET last_seq = $1, last_change_seq = $1", [
    Math.ceil(total / 2000),
  ]);
}

export async function runSearchBench(
  pgUrl: string,
  log: (s: string) => void,
  options: { messages?: number; queries?: number } = {},
): Promise<SearchBenchResult> {
  const total = options.messages ?? 1_000_000;
  const queries = options.queries ?? 400;
  const name = `charla_bench_search_${Date.now()}`;
  await pgAdmin(pgUrl, `create database ${name}`);
  const store = await openStore(
    { kind: "postgres", url: databaseUrl(pgUrl, name), poolSize: 2 },
    pino({ level: "silent" }),
  );
  try {
    const client = new pg.Client({ connectionString: databaseUrl(pgUrl, name) });
    await client.connect();
    try {
      await client.query(INDEX_0020.drop);
      const machineLoad = await machineLoadNote();
      log(`search: seeding ${total} messages; ${machineLoad}`);
      const seedStart = performance.now();
      await seedSearchCorpus(client, total);
      const seedSeconds = (performance.now() - seedStart) / 1000;
      log(`search: seeded in ${seedSeconds.toFixed(0)} s`);

      const users = (await client.query<{ id: string }>("SELECT id FROM users")).rows;
      const searches = Array.from({ length: queries }, (_, i) => ({
        userId: users[randomInt(users.length)]!.id,
        text: i % 2 ? pick() : `${pick()} ${pick()}`,
      }));
      const warmUp = Array.from({ length: 20 }, () => ({
        userId: users[randomInt(users.length)]!.id,
        text: pick(),
      }));

      /** Builds an index, times every search with `search`, drops the index. */
      const pass = async (
        label: string,
        index: { create: string; size: string; drop: string },
        search: (userId: string, text: string) => Promise<string[]>,
      ) => {
        const indexStart = performance.now();
        await client.query(index.create);
        const indexSeconds = (performance.now() - indexStart) / 1000;
        await client.query("VACUUM ANALYZE");
        const indexMB =
          Number((await client.query(`SELECT ${index.size} AS bytes`)).rows[0].bytes) / 1e6;
        log(
          `search ${label}: index built in ${indexSeconds.toFixed(0)} s (${indexMB.toFixed(0)} MB)`,
        );
        for (const w of warmUp) await search(w.userId, w.text);
        const found: string[][] = [];
        const latency = await timeEach(
          queries,
          async (i) => {
            found[i] = await search(searches[i]!.userId, searches[i]!.text);
          },
          0,
        );
        await client.query(index.drop);
        const meanResults = found.reduce((n, ids) => n + ids.length, 0) / queries;
        log(`search ${label}: ${describe(latency)}; ${meanResults.toFixed(1)} results per search`);
        return {
          found,
          pass: { ...latency, index: label, indexSeconds, indexMB, meanResults },
        };
      };

      const before = await pass("0009 (words only)", INDEX_0009, async (userId, text) =>
        (await client.query<{ id: string }>(QUERY_0009, [userId, text, 21])).rows.map((r) => r.id),
      );
      const after = await pass(
        "0020 (words and chat, after the commit)",
        INDEX_0020,
        async (userId, text) =>
          (await store.messages.search(userId, text, { limit: 20 })).messages.map((m) => m.id),
      );
      // The old query asked for 21 rows (limit + 1); compare the first page.
      const differingResults = before.found.filter(
        (ids, i) => ids.slice(0, 20).join() !== after.found[i]!.join(),
      ).length;
      const result: SearchBenchResult = {
        messages: total,
        seedSeconds,
        machineLoad,
        before: before.pass,
        after: after.pass,
        differingResults,
        p50Ms: after.pass.p50Ms,
        p95Ms: after.pass.p95Ms,
        p99Ms: after.pass.p99Ms,
      };
      log(`search: ${JSON.stringify(result)}`);
      return result;
    } finally {
      await client.end();
    }
  } finally {
    await store.close();
    await pgAdmin(pgUrl, `drop database if exists ${name} with (force)`);
  }
}
