/**
 * Reads by key that arrive together leave as one statement: a reconnect storm is thousands of
 * handshakes at once, each reading its user twice (the read, then the re-check once its
 * socket is in its rooms), and on PGlite's one connection every statement waits for the one
 * before. Calls made while `maxInFlight` batches are running wait for the next batch, which
 * reads up to `maxBatch` keys; the same key asked by several calls is read once for all.
 *
 * Every call's answer comes from a statement that started after the call was made, never from
 * one already running: a re-check must see every change committed before it asked.
 */
/** How PostgreSQL writes a uuid, and how Charla makes ids: what a batch may send as `uuid[]`. */
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function batchedReads<V>(
  readMany: (keys: string[]) => Promise<Map<string, V>>,
  { maxBatch = 500, maxInFlight = 2 }: { maxBatch?: number; maxInFlight?: number } = {},
): (key: string) => Promise<V | undefined> {
  type Caller = { resolve: (value: V | undefined) => void; reject: (error: unknown) => void };
  const waiting = new Map<string, Caller[]>();
  let inFlight = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || waiting.size === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    // After this turn of the event loop: the handshakes of one burst share a batch.
    setImmediate(flush);
  };

  async function flush() {
    scheduled = false;
    if (inFlight >= maxInFlight || waiting.size === 0) return;
    const batch = new Map<string, Caller[]>();
    for (const [key, callers] of waiting) {
      if (batch.size >= maxBatch) break;
      batch.set(key, callers);
    }
    for (const key of batch.keys()) waiting.delete(key);
    inFlight++;
    schedule(); // more than one batch waiting: start the next one now, if allowed
    try {
      const found = await readMany([...batch.keys()]);
      for (const [key, callers] of batch) for (const c of callers) c.resolve(found.get(key));
    } catch (error) {
      for (const callers of batch.values()) for (const c of callers) c.reject(error);
    } finally {
      inFlight--;
      schedule();
    }
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const callers = waiting.get(key);
      if (callers) callers.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      schedule();
    });
}
