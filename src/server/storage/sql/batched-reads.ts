/**
 * Reads that arrive together leave as one statement: a reconnect storm is thousands of
 * handshakes and catch-ups at once, each reading its user twice (the read, then the re-check
 * once its socket is in its rooms), then its chats' changes, and on PGlite's one connection
 * every statement waits for the one before. Calls made while `maxInFlight` batches are
 * running wait for the next batch, which takes up to `maxBatch` distinct asks; the same ask
 * (the same key) made by several calls is read once for all.
 *
 * Every call's answer comes from a statement that started after the call was made, never from
 * one already running: a re-check must see every change committed before it asked, and a
 * catch-up every message acknowledged before it asked.
 *
 * While batches follow one another (the last one started less than `windowMs` ago), the next
 * waits out the rest of that window to gather more calls: a storm's handshakes arrive a few
 * at a time, and every statement costs a round trip and a wake-up of the database on both
 * sides, whatever its size. A call made after a quiet spell leaves at once.
 */
/** How PostgreSQL writes a uuid, and how Charla makes ids: what a batch may send as `uuid[]`. */
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface BatchOptions {
  maxBatch?: number;
  maxInFlight?: number;
  windowMs?: number;
}

/**
 * 10,000 handshakes reconnecting at once here (PostgreSQL, 1,000 users × 10 sockets) read in
 * batches of 3 to 12 asks, ~1,000 statements a second; with batches at most every 10 ms
 * the same connect took 9.4 s instead of 10.7–13.2 s (docs/benchmarks.md, 2026-12-06).
 */
const WINDOW_MS = 10;

/**
 * Calls with an input of any shape: `keyOf` names what makes two asks the same (equal keys
 * get one answer); `readMany` answers a batch's asks by key (a key left out answers undefined).
 */
export function batchedCalls<I, V>(
  readMany: (asks: ReadonlyMap<string, I>) => Promise<ReadonlyMap<string, V>>,
  keyOf: (input: I) => string,
  { maxBatch = 500, maxInFlight = 2, windowMs = WINDOW_MS }: BatchOptions = {},
): (input: I) => Promise<V | undefined> {
  type Caller = { resolve: (value: V | undefined) => void; reject: (error: unknown) => void };
  const waiting = new Map<string, { input: I; callers: Caller[] }>();
  let inFlight = 0;
  let scheduled = false;
  let lastStart = -Infinity;

  const schedule = () => {
    if (scheduled || waiting.size === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    const rest = lastStart + windowMs - performance.now();
    if (rest > 0) setTimeout(flush, rest);
    // After this turn of the event loop: the calls of one burst share a batch.
    else setImmediate(flush);
  };

  async function flush() {
    scheduled = false;
    if (inFlight >= maxInFlight || waiting.size === 0) return;
    const batch = new Map<string, { input: I; callers: Caller[] }>();
    for (const [key, ask] of waiting) {
      if (batch.size >= maxBatch) break;
      batch.set(key, ask);
    }
    for (const key of batch.keys()) waiting.delete(key);
    inFlight++;
    lastStart = performance.now();
    schedule(); // more than one batch waiting: the next one starts once the window is out
    try {
      const asks = new Map<string, I>();
      for (const [key, { input }] of batch) asks.set(key, input);
      const found = await readMany(asks);
      for (const [key, { callers }] of batch) for (const c of callers) c.resolve(found.get(key));
    } catch (error) {
      for (const { callers } of batch.values()) for (const c of callers) c.reject(error);
    } finally {
      inFlight--;
      schedule();
    }
  }

  return (input) =>
    new Promise<V | undefined>((resolve, reject) => {
      const key = keyOf(input);
      const ask = waiting.get(key);
      if (ask) ask.callers.push({ resolve, reject });
      else waiting.set(key, { input, callers: [{ resolve, reject }] });
      schedule();
    });
}

/** Reads by key (a user id, say): `readMany` gets the batch's distinct keys. */
export function batchedReads<V>(
  readMany: (keys: string[]) => Promise<Map<string, V>>,
  options: BatchOptions = {},
): (key: string) => Promise<V | undefined> {
  return batchedCalls<string, V>(
    (asks) => readMany([...asks.keys()]),
    (key) => key,
    options,
  );
}
