/**
 * The append path under concurrency, on PostgreSQL (PGlite has one session): many senders
 * through several pools (nodes) keep each chat's seq exactly 1..N, and one client_msg_id sent
 * concurrently through every pool stores one row.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Message } from "@charla/protocol/schemas";
import { GroupCommit } from "../../src/server/storage/group-commit.ts";
import {
  appendOne,
  newGroup,
  newMessage,
  newUser,
  openTestStore,
  postgresDatabase,
} from "../support/stores.ts";

test("PostgreSQL: concurrent senders on several pools get seq exactly 1..N", async (t) => {
  const database = await postgresDatabase(t, "concurrent senders on PostgreSQL", 4);
  if (!database) return;
  // Four stores, each with its own pool and group commit: four nodes writing to one chat.
  const stores = await Promise.all([0, 1, 2, 3].map(() => openTestStore(t, database)));
  const commits = stores.map((store) => new GroupCommit(store.messages, { maxBatch: 8 }));
  const first = stores[0]!;
  const senders = await Promise.all(Array.from({ length: 20 }, () => newUser(first)));
  const chat = await newGroup(
    first,
    senders[0]!.id,
    senders.slice(1).map((s) => s.id),
  );
  const PER_SENDER = 25;

  await t.test("20 senders × 25 messages: no gap, no duplicate, each sender in order", async () => {
    await Promise.all(
      senders.map(async (sender, i) => {
        for (let k = 0; k < PER_SENDER; k++) {
          // Alternate nodes and paths: group commit and direct single appends.
          const message = newMessage(chat.id, sender.id, `${i}:${k}`, `s${i}-${k}`);
          const result =
            k % 3 === 0
              ? await appendOne(stores[(i + k) % 4]!, message)
              : await commits[(i + k) % 4]!.append(message);
          assert.equal(result.kind, "stored");
        }
      }),
    );
    let page = await first.messages.history(chat.id, { limit: 200, after_seq: 0 });
    const rest: Message[] = [...page.messages];
    while (page.has_more) {
      page = await first.messages.history(chat.id, { limit: 200, after_seq: rest.at(-1)!.seq });
      rest.push(...page.messages);
    }
    const total = senders.length * PER_SENDER;
    assert.deepEqual(
      rest.map((m) => m.seq),
      Array.from({ length: total }, (_, i) => i + 1),
    );
    assert.deepEqual(
      [...rest.map((m) => m.change_seq)].sort((a, b) => a - b),
      Array.from({ length: total }, (_, i) => i + 1),
    );
    assert.equal(new Set(rest.map((m) => m.id)).size, total);
    for (const [i] of senders.entries()) {
      const mine = rest.filter((m) => m.body.startsWith(`${i}:`)).map((m) => m.body);
      assert.deepEqual(
        mine,
        Array.from({ length: PER_SENDER }, (_, k) => `${i}:${k}`),
      );
    }
  });

  await t.test(
    "one client_msg_id sent concurrently through every pool stores one row",
    async () => {
      const sender = senders[1]!;
      const attempts = Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? appendOne(stores[i % 4]!, newMessage(chat.id, sender.id, "only once", "retry-me"))
          : commits[i % 4]!.append(newMessage(chat.id, sender.id, "only once", "retry-me")),
      );
      const results = await Promise.all(attempts);
      const stored = results.filter((r) => r.kind === "stored");
      assert.equal(stored.length, 1, JSON.stringify(results.map((r) => r.kind)));
      const ids = new Set(results.map((r) => (r.kind === "not_member" ? "none" : r.message.id)));
      assert.equal(ids.size, 1, "every attempt answers with the same message");
      const newest = await first.messages.history(chat.id, { limit: 2 });
      assert.deepEqual(
        newest.messages.map((m) => [m.seq, m.body]),
        [
          [senders.length * PER_SENDER, newest.messages[0]!.body],
          [senders.length * PER_SENDER + 1, "only once"],
        ],
      );
    },
  );
});
