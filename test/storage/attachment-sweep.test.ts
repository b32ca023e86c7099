/**
 * The sweep: bytes of deleted messages' attachments and of uploads never attached go, on
 * whichever node sweeps first, each once; attached uploads of live messages stay. On the
 * database backends and on S3.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import pino from "pino";
import { createAttachmentService } from "../../src/server/domain/attachments.ts";
import { createAttachmentLinks } from "../../src/server/domain/attachment-links.ts";
import { fileKey } from "../../src/server/storage/attachment-store.ts";
import type { Store } from "../../src/server/storage/store.ts";
import { test } from "node:test";
import { fileStoreFor } from "../../src/server/storage/files/backends.ts";
import { openStore } from "../../src/server/storage/open.ts";
import { startLocalS3 } from "../support/s3.ts";
import { openTestStore, onEveryBackend, postgresDatabase } from "../support/stores.ts";

const log = pino({ level: "silent" });
const links = createAttachmentLinks(randomBytes(32));

function service(store: Store, unsentSeconds = 86_400) {
  return createAttachmentService({
    store,
    links,
    limits: { maxUploadBytes: 10_000_000, unsentSeconds },
    log,
  });
}

async function* once(bytes: Uint8Array) {
  yield bytes;
}

async function stored(store: Store, id: string): Promise<number> {
  let size = 0;
  for await (const piece of store.files.read(fileKey(id))) size += piece.length;
  return size;
}

async function seed(store: Store) {
  const user = randomUUID();
  const chat = randomUUID();
  await store.users.create({ id: user, username: `u${user.slice(0, 8)}`, password_hash: "x" });
  await store.chats.create({
    id: chat,
    type: "group",
    name: "g",
    created_by: user,
    direct_key: null,
    member_ids: [],
  });
  return { user, chat };
}

async function send(store: Store, user: string, chat: string, attachmentIds: string[]) {
  const result = await store.messages.appendWithAttachments(
    { id: randomUUID(), chat_id: chat, sender_id: user, body: "", client_msg_id: null },
    attachmentIds,
  );
  assert.equal(result.kind, "stored");
  return result.message;
}

async function sweepSuite(store: Store): Promise<void> {
  const { user, chat } = await seed(store);
  const attachments = service(store);
  const up = () =>
    attachments.upload(user, { filename: "f.bin", stream: once(randomBytes(300_000)) });

  const kept = await up();
  const doomed = await up();
  const unsent = await up();
  await send(store, user, chat, [kept.id]);
  const toDelete = await send(store, user, chat, [doomed.id]);
  assert.deepEqual(
    toDelete.attachments.map((a) => a.id),
    [doomed.id],
  );
  await store.messages.delete(toDelete.id);

  // A day has not passed: only the deleted message's attachment goes.
  assert.equal(await attachments.sweep(), 1);
  assert.equal(await stored(store, doomed.id), 0);
  assert.equal(await stored(store, kept.id), 300_000);
  assert.equal(await stored(store, unsent.id), 300_000);
  assert.equal(await attachments.sweep(), 0, "once");

  // Once the unsent upload is old enough (0 s here) it goes too; the attached one stays.
  assert.equal(await service(store, 0).sweep(), 1);
  assert.equal(await stored(store, unsent.id), 0);
  assert.equal(await stored(store, kept.id), 300_000);
  assert.equal(await store.attachments.find(unsent.id, user), undefined);
}

onEveryBackend("Attachment sweep", (_t, store) => sweepSuite(store));

test("Attachment sweep with the bytes in S3 (a local s3rver)", async (t) => {
  const s3 = await startLocalS3();
  t.after(() => s3.close());
  const store = await openStore({ kind: "pglite", dataDir: undefined }, log, {
    files: fileStoreFor(s3.config),
  });
  t.after(() => store.close());
  assert.equal(store.files.kind, "s3");
  await sweepSuite(store);
});

test("Attachment sweep: two nodes sweeping at once remove each attachment once", async (t) => {
  const database = await postgresDatabase(t, "Attachment sweep on two nodes");
  if (!database) return;
  const one = await openTestStore(t, database);
  const two = await openTestStore(t, database);
  const { user, chat } = await seed(one);
  const uploads = await Promise.all(
    Array.from({ length: 30 }, () =>
      service(one).upload(user, { filename: "f", stream: once(randomBytes(1000)) }),
    ),
  );
  for (const batch of [uploads.slice(0, 10), uploads.slice(10, 20), uploads.slice(20)]) {
    const message = await send(
      one,
      user,
      chat,
      batch.map((u) => u.id),
    );
    await one.messages.delete(message.id);
  }
  // Small batches so that the two passes interleave.
  const [a, b] = await Promise.all([service(one).sweep(3), service(two).sweep(3)]);
  assert.equal(a + b, 30, `${a} + ${b}`);
  for (const upload of uploads) assert.equal(await stored(one, upload.id), 0);
});
