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
 */
/** How PostgreSQL writes a uuid, and how Charla makes ids: what a batch may send as `uuid[]`. */
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface BatchOptions {
  maxBatch?: number;
  maxInFlight?: number;
}

/**
 * Calls with an input of any shape: `keyOf` names what makes two asks the same (equal keys
 * get one answer); `readMany` answers a batch's asks by key (a key left out answers undefined).
 */
export function batchedCalls<I, V>(
  readMany: (asks: ReadonlyMap<string, I>) => Promise<ReadonlyMap<string, V>>,
  keyOf: (input: I) => string,
  { maxBatch = 500, maxInFlight = 2 }: BatchOptions = {},
): (input: I) => Promise<V | undefined> {
  type Caller = { resolve: (value: V | undefined) => void; reject: (error: unknown) => void };
  const waiting = new Map<string, { input: I; callers: Caller[] }>();
  let inFlight = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || waiting.size === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    // After this turn of the event loop: the calls of one burst share a batch.
    setImmediate(flush);
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
    schedule(); // more than one batch waiting: start the next one now, if allowed
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
