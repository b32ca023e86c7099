/**
 * Files through @charla/client: `upload` with progress and cancel, `send(…, { attachmentIds })`
 * and `postMessage({ attachment_ids })`, signed links from `attachmentUrl` that need no
 * token, `fetchAttachment` with a token and a range, and avatars.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { ChatError, type UploadProgress } from "@charla/client";
import { solidImage } from "../support/images.ts";
import { startServer } from "../support/server.ts";
import { openClient, person } from "./support.ts";

test("upload with progress, send with attachment ids, fetch by signed link and by token", async (t) => {
  const { url } = await startServer(t);
  const ana = await person(url);
  const ben = await person(url);
  const eve = await person(url);
  const chat = await ana.api.createChat({ type: "direct", member_ids: [ben.user.id] });
  const anaClient = openClient(t, url, ana.token);
  await anaClient.ready();

  const png = await solidImage(640, 480, "png");
  const progress: UploadProgress[] = [];
  const photo = await ana.api.upload(new Blob([png], { type: "text/plain" }), {
    name: "beach.png",
    onProgress: (p) => progress.push(p),
  });
  assert.deepEqual(
    { name: photo.name, type: photo.content_type, size: photo.size, w: photo.width },
    { name: "beach.png", type: "image/png", size: png.length, w: 640 },
    "stored with the type from its bytes, not the one the blob claims",
  );
  assert.ok(progress.length >= 2, "progress while sending and at the end");
  assert.deepEqual(progress.at(-1), { loaded: png.length, total: png.length });
  for (let i = 1; i < progress.length; i++) {
    assert.ok(progress[i]!.loaded >= progress[i - 1]!.loaded, "progress never goes back");
  }

  // A File's own name is used when none is given.
  const notes = await ana.api.upload(new File([Buffer.from("hola\n")], "notes.txt"));
  assert.equal(notes.name, "notes.txt");

  const message = await anaClient.send(chat.id, "", { attachmentIds: [photo.id, notes.id] });
  assert.equal(message.body, "");
  assert.deepEqual(
    message.attachments.map((a) => a.id),
    [photo.id, notes.id],
  );
  const [image, text] = message.attachments;
  assert.ok(image && text);
  assert.equal(ben.api.attachmentUrl(text, true), null, "no thumbnail for a text file");

  // The signed links work with no token at all.
  const thumbnail = await fetch(ben.api.attachmentUrl(image, true)!);
  assert.equal(thumbnail.status, 200);
  assert.equal(thumbnail.headers.get("content-type"), "image/webp");
  const full = await fetch(ben.api.attachmentUrl(image)!);
  assert.ok(Buffer.from(await full.arrayBuffer()).equals(png));

  // With the token: the whole file, or a range of it.
  const ranged = await ben.api.fetchAttachment(image.id, { range: { start: 8, end: 15 } });
  assert.equal(ranged.status, 206);
  assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(png.subarray(8, 16)));
  const tail = await ben.api.fetchAttachment(image.id, { range: { start: png.length - 4 } });
  assert.ok(Buffer.from(await tail.arrayBuffer()).equals(png.subarray(-4)));
  const small = await ben.api.fetchAttachment(image.id, { thumbnail: true });
  assert.equal(small.headers.get("content-type"), "image/webp");
  await small.arrayBuffer();

  // Someone outside the chat is told it is not there.
  await assert.rejects(
    eve.api.fetchAttachment(image.id),
    (error) => error instanceof ChatError && error.code === "NOT_FOUND",
  );

  // Over HTTP too, and an id attached once cannot be attached again.
  const again = await ana.api.upload(new Blob([randomBytes(1000)]));
  const posted = await ana.api.postMessage(chat.id, { body: "data", attachment_ids: [again.id] });
  assert.equal(posted.attachments[0]?.size, 1000);
  await assert.rejects(
    ana.api.postMessage(chat.id, { attachment_ids: [again.id] }),
    (error) => error instanceof ChatError && error.code === "NOT_FOUND",
  );
});

test("an upload is cancelled through its AbortSignal, and one too large is refused", async (t) => {
  const { url } = await startServer(t, { maxUploadBytes: 2 * 1024 * 1024 });
  const ana = await person(url);
  const big = new Blob([randomBytes(1536 * 1024)]);

  const already = new AbortController();
  already.abort();
  await assert.rejects(ana.api.upload(big, { signal: already.signal }), { name: "AbortError" });

  // Cancelled half-way, from the progress callback: the promise rejects with the reason.
  const controller = new AbortController();
  const reason = new Error("the user cancelled");
  await assert.rejects(
    ana.api.upload(big, {
      signal: controller.signal,
      onProgress: ({ loaded, total }) => {
        if (loaded > total / 3) controller.abort(reason);
      },
    }),
    (error) => error === reason,
  );

  await assert.rejects(
    ana.api.upload(new Blob([randomBytes(2 * 1024 * 1024 + 1)])),
    (error) => error instanceof ChatError && error.code === "PAYLOAD_TOO_LARGE",
  );
  // The same user uploads normally right after.
  const fine = await ana.api.upload(big);
  assert.equal(fine.size, big.size);
});

test("avatars through the client: set, seen in the profile, removed", async (t) => {
  const { url } = await startServer(t);
  const ana = await person(url);
  const me = await ana.api.setAvatar(new Blob([await solidImage(300, 300, "jpeg")]));
  assert.match(me.avatar_url ?? "", /^\/avatars\//);
  const image = await fetch(url + me.avatar_url);
  assert.equal(image.status, 200);
  await image.arrayBuffer();
  assert.equal((await ana.api.me()).avatar_url, me.avatar_url);
  await ana.api.removeAvatar();
  assert.equal((await ana.api.me()).avatar_url, null);
  await assert.rejects(
    ana.api.setAvatar(new Blob([Buffer.from("not an image")])),
    (error) => error instanceof ChatError && error.code === "VALIDATION_ERROR",
  );
});
