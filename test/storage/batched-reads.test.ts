/**
 * batchedReads and batchedCalls (storage/sql/batched-reads.ts): concurrent reads leave as one
 * statement, and no call is answered by a statement that started before it was made.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { batchedCalls, batchedReads } from "../../src/server/storage/sql/batched-reads.ts";

/** A readMany that records each batch and answers when told to. */
function controlledRead() {
  const batches: Array<{ keys: string[]; answer: (values?: Map<string, string>) => void }> = [];
  const readMany = (keys: string[]) =>
    new Promise<Map<string, string>>((resolve, reject) => {
      batches.push({
        keys,
        answer: (values) =>
          values ? resolve(values) : reject(new Error(`batch ${keys.join(",")} failed`)),
      });
    });
  const waitForBatch = async (n: number) => {
    while (batches.length < n) await new Promise((resolve) => setImmediate(resolve));
    return batches[n - 1]!;
  };
  const upper = (keys: string[]) => new Map(keys.map((k) => [k, k.toUpperCase()]));
  return { batches, readMany, waitForBatch, upper };
}

test("reads asked together leave as one batch, each key once", async () => {
  const { readMany, waitForBatch, upper, batches } = controlledRead();
  const read = batchedReads(readMany);
  const asked = Promise.all([read("a"), read("b"), read("a"), read("gone")]);
  const first = await waitForBatch(1);
  assert.deepEqual(first.keys.sort(), ["a", "b", "gone"]);
  first.answer(upper(["a", "b"]));
  assert.deepEqual(await asked, ["A", "B", "A", undefined]);
  assert.equal(batches.length, 1);
});

test("a read asked while a batch runs waits for a batch of its own", async () => {
  const { readMany, waitForBatch } = controlledRead();
  const read = batchedReads(readMany, { maxInFlight: 1 });
  const early = read("a");
  const first = await waitForBatch(1);
  // Asked after the first statement started: it must not get that statement's answer.
  const late = read("a");
  first.answer(new Map([["a", "before"]]));
  assert.equal(await early, "before");
  const second = await waitForBatch(2);
  assert.deepEqual(second.keys, ["a"]);
  second.answer(new Map([["a", "after"]]));
  assert.equal(await late, "after");
});

test("a failed batch fails its callers only; the next batch still runs", async () => {
  const { readMany, waitForBatch, upper } = controlledRead();
  const read = batchedReads(readMany, { maxInFlight: 1 });
  const failing = Promise.allSettled([read("a"), read("b")]);
  const first = await waitForBatch(1);
  const next = read("c");
  first.answer(undefined);
  const results = await failing;
  assert.deepEqual(
    results.map((r) => r.status),
    ["rejected", "rejected"],
  );
  (await waitForBatch(2)).answer(upper(["c"]));
  assert.equal(await next, "C");
});

test("more keys than a batch holds go in several batches, up to maxInFlight at once", async () => {
  const { readMany, waitForBatch, upper, batches } = controlledRead();
  const read = batchedReads(readMany, { maxBatch: 2, maxInFlight: 2 });
  const asked = Promise.all(["a", "b", "c", "d", "e"].map(read));
  const first = await waitForBatch(1);
  const second = await waitForBatch(2);
  assert.equal(batches.length, 2, "no third batch while two run");
  first.answer(upper(first.keys));
  const third = await waitForBatch(3);
  second.answer(upper(second.keys));
  third.answer(upper(third.keys));
  assert.deepEqual(await asked, ["A", "B", "C", "D", "E"]);
  assert.deepEqual(
    batches.map((b) => b.keys.length),
    [2, 2, 1],
  );
});

test("asks of any shape: equal keys are asked once, each caller gets its own key's answer", async () => {
  type Ask = { user: string; from: number };
  const batches: Array<Map<string, Ask>> = [];
  const call = batchedCalls(
    async (asks: ReadonlyMap<string, Ask>) => {
      batches.push(new Map(asks));
      return new Map([...asks].map(([key, { user, from }]) => [key, `${user} from ${from}`]));
    },
    ({ user, from }: Ask) => `${user}@${from}`,
  );
  const answers = await Promise.all([
    call({ user: "ana", from: 0 }),
    call({ user: "ana", from: 3 }),
    call({ user: "ben", from: 0 }),
    call({ user: "ana", from: 0 }),
  ]);
  assert.deepEqual(answers, ["ana from 0", "ana from 3", "ben from 0", "ana from 0"]);
  assert.equal(batches.length, 1);
  assert.deepEqual(
    [...batches[0]!.values()],
    [
      { user: "ana", from: 0 },
      { user: "ana", from: 3 },
      { user: "ben", from: 0 },
    ],
  );
});

test("an ask equal to one already running waits for a batch of its own", async () => {
  const started: Array<{ resolve: (answer: Map<string, string>) => void }> = [];
  const call = batchedCalls(
    (asks: ReadonlyMap<string, string>) =>
      new Promise<Map<string, string>>((resolve) => {
        const n = started.length + 1;
        started.push({
          resolve: () => resolve(new Map([...asks.keys()].map((k) => [k, `#${n}`]))),
        });
      }),
    (ask: string) => ask,
    { maxInFlight: 2 },
  );
  const early = call("same");
  while (started.length < 1) await new Promise((resolve) => setImmediate(resolve));
  const late = call("same");
  while (started.length < 2) await new Promise((resolve) => setImmediate(resolve));
  started[1]!.resolve(new Map());
  started[0]!.resolve(new Map());
  assert.equal(await early, "#1");
  assert.equal(await late, "#2", "answered by the statement started after it asked");
});

test("calls arriving one by one while batches follow each other share the next batch", async () => {
  const { readMany, waitForBatch, upper, batches } = controlledRead();
  const read = batchedReads(readMany, { maxInFlight: 1, windowMs: 1000 });
  const first = read("a");
  (await waitForBatch(1)).answer(upper(["a"]));
  assert.equal(await first, "A");
  // A storm's handshakes: each in a turn of its own, just after a batch started.
  const later: Array<Promise<string | undefined>> = [];
  for (const key of ["b", "c", "d"]) {
    later.push(read(key));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const second = await waitForBatch(2);
  assert.deepEqual(second.keys, ["b", "c", "d"], "one statement for the three");
  second.answer(upper(second.keys));
  assert.deepEqual(await Promise.all(later), ["B", "C", "D"]);
  assert.equal(batches.length, 2);
});

test("a call after a quiet spell leaves at once", async () => {
  const { readMany, waitForBatch, upper, batches } = controlledRead();
  const read = batchedReads(readMany, { maxInFlight: 1, windowMs: 30 });
  const first = read("a");
  (await waitForBatch(1)).answer(upper(["a"]));
  await first;
  await new Promise((resolve) => setTimeout(resolve, 60)); // longer than the window: quiet
  const lone = read("b");
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(batches.length, 2, "its statement started in the next turn, not a window later");
  batches[1]!.answer(upper(["b"]));
  assert.equal(await lone, "B");
});
