/**
 * Search on a big database: seeds 1,000,000 messages in SQL on PostgreSQL (2,000 users, 2,000
 * groups of 10, each user in 10 groups; bodies of 8 words drawn from a 5,000-word vocabulary
 * with a steep skew, so the commonest word is in about a third of all messages), builds the
 * search index, then times `GET /api/search`'s own SQL (the store's `search`) for random
 * members and 1–2 random words drawn with the same skew. The database is dropped afterwards.
 */
import { randomInt } from "node:crypto";
import pg from "pg";
import pino from "pino";
import { openStore } from "../../src/server/storage/open.ts";
import { databaseUrl, pgAdmin } from "../lib/pg.ts";

export interface SearchBenchResult {
  messages: number;
  seedSeconds: number;
  indexSeconds: number;
  queries: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanResults: number;
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

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

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
      const indexDef = (
        await client.query<{ indexdef: string }>(
          "SELECT indexdef FROM pg_indexes WHERE indexname = 'messages_search'",
        )
      ).rows[0]!.indexdef;
      await client.query("DROP INDEX messages_search");
      log(`search: seeding ${total} messages`);
      const seedStart = performance.now();
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
      const seedSeconds = (performance.now() - seedStart) / 1000;
      log(`search: seeded in ${seedSeconds.toFixed(0)} s; building the index`);
      const indexStart = performance.now();
      await client.query(indexDef);
      const indexSeconds = (performance.now() - indexStart) / 1000;
      await client.query("VACUUM ANALYZE messages");
      log(`search: index built in ${indexSeconds.toFixed(0)} s; ${queries} queries`);

      const users = (await client.query<{ id: string }>("SELECT id FROM users")).rows;
      const times: number[] = [];
      let found = 0;
      // Warm-up, not counted.
      for (let i = 0; i < 20; i++) {
        await store.messages.search(users[randomInt(users.length)]!.id, pick(), { limit: 20 });
      }
      for (let i = 0; i < queries; i++) {
        const q = i % 2 ? pick() : `${pick()} ${pick()}`;
        const started = performance.now();
        const page = await store.messages.search(users[randomInt(users.length)]!.id, q, {
          limit: 20,
        });
        times.push(performance.now() - started);
        found += page.messages.length;
      }
      times.sort((a, b) => a - b);
      const result: SearchBenchResult = {
        messages: total,
        seedSeconds,
        indexSeconds,
        queries,
        p50Ms: quantile(times, 0.5),
        p95Ms: quantile(times, 0.95),
        p99Ms: quantile(times, 0.99),
        maxMs: times.at(-1)!,
        meanResults: found / queries,
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
