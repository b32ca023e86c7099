/**
 * Fault isolation of the group commit, on every backend: a batch whose statement fails
 * because of one message (here an id PostgreSQL refuses, as `urn:uuid:…` once slipped past
 * validation) stores and acknowledges every other message of the batch, in order, and only
 * the guilty message fails.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { NewMessage } from "../../src/server/storage/message-store.ts";
import { GroupCommit } from "../../src/server/storage/group-commit.ts";
import { newGroup, newMessage, newUser, onEveryBackend } from "../support/stores.ts";

onEveryBackend("GroupCommit fault isolation", async (t, store) => {
  await t.test("a poisoned batch: only the guilty message fails", async () => {
    const [ana, ben] = await Promise.all([newUser(store), newUser(store)]);
    const chat = await newGroup(store, ana.id, [ben.id]);
    // The real store, with the size of every statement it is asked to run written down.
    const attempted: number[] = [];
    const commits = new GroupCommit(
      {
        append: (batch: readonly NewMessage[]) => {
          attempted.push(batch.length);
          return store.messages.append(batch);
        },
      },
      { maxBatch: 64 },
    );

    // The first send is written at once; everything queued meanwhile is the next batch.
    const first = commits.append(newMessage(chat.id, ana.id, "first"));
    const poison: NewMessage = {
      ...newMessage(chat.id, ben.id, "poison"),
      chat_id: `urn:uuid:${randomUUID()}`,
    };
    const queued = Array.from({ length: 12 }, (_, i) =>
      i === 7 ? poison : newMessage(chat.id, i % 2 ? ana.id : ben.id, `m${i}`, `c${i}`),
    );
    const outcomes = await Promise.allSettled([first, ...queued.map((m) => commits.append(m))]);

    assert.deepEqual(attempted.slice(0, 2), [1, 12], "the poison shared a batch with 11 others");
    outcomes.forEach((outcome, i) => {
      if (i === 8) assert.equal(outcome.status, "rejected", "the poisoned message fails");
      else {
        assert.equal(outcome.status, "fulfilled", `message ${i}: ${String(outcome)}`);
        assert.equal(outcome.value.kind, "stored");
      }
    });
    const history = await store.messages.history(chat.id, { limit: 50 });
    assert.deepEqual(
      history.messages.map((m) => [m.seq, m.body]),
      ["first", ...queued.filter((m) => m !== poison).map((m) => m.body)].map((body, i) => [
        i + 1,
        body,
      ]),
      "the innocent messages are stored once each, gap-free, in the order they were sent",
    );
    // Acknowledged as stored, with the seq the history shows.
    const acked = outcomes.flatMap((o) =>
      o.status === "fulfilled" && o.value.kind === "stored" ? [o.value.message.seq] : [],
    );
    assert.deepEqual(
      acked,
      history.messages.map((m) => m.seq),
    );
  });
});
