/**
 * Across nodes: a file uploaded to one node is served by another, by its signed link and by
 * a member's token, with `Range` and its thumbnail, from the live payload the other node
 * delivered; deleting the message there ends the links on the first node too.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { connectSocket, http, nextEvent, registerUser } from "../support/clients.ts";
import { solidImage } from "../support/images.ts";
import { download, uploaded } from "../support/uploads.ts";
import { clusterEnvOrSkip, startNodes } from "./support.ts";

test("a file uploaded on one node is served by another", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const [n0, n1] = await startNodes(t, env, 2);
  const ana = await registerUser(n0!.url);
  const ben = await registerUser(n0!.url);
  const chat = await http(n0!.url, "POST", "/api/chats", {
    token: ana.token,
    body: { type: "direct", member_ids: [ben.user.id] },
  });
  const benOnN1 = await connectSocket(t, n1!.url, ben.token);

  // Several database chunks, so the other node reads the file back piece by piece.
  const bytes = randomBytes(700 * 1024 + 321);
  const png = await solidImage(800, 600, "png");
  const file = await uploaded(n0!.url, ana.token, bytes, "data.bin");
  const image = await uploaded(n0!.url, ana.token, png, "photo.png", "image/png");

  const delivered = nextEvent(benOnN1, "message:send", (m: any) => m.chat_id === chat.body.id);
  const sent = await http(n0!.url, "POST", `/api/chats/${chat.body.id}/messages`, {
    token: ana.token,
    body: { body: "from n0", attachment_ids: [file.id, image.id] },
  });
  assert.equal(sent.status, 201);
  const live = await delivered;
  const [liveFile, liveImage] = live.attachments;

  // The links in n1's live payload, on n1, with no token.
  const whole = await download(n1!.url, liveFile.url);
  assert.equal(whole.status, 200);
  assert.ok(whole.bytes.equals(bytes), "n1 serves the bytes n0 stored");
  const thumb = await download(n1!.url, liveImage.thumbnail_url);
  assert.equal(thumb.status, 200);
  assert.equal(thumb.headers.get("content-type"), "image/webp");

  // With ben's token and a range that crosses a chunk boundary.
  const start = 256 * 1024 - 7;
  const part = await download(n1!.url, `/api/attachments/${file.id}`, {
    token: ben.token,
    range: `bytes=${start}-${start + 99}`,
  });
  assert.equal(part.status, 206);
  assert.ok(part.bytes.equals(bytes.subarray(start, start + 100)));

  // A link n0 signed works on n1 (the nodes share the signing key), and the other way.
  const history = await http(n1!.url, "GET", `/api/chats/${chat.body.id}/messages`, {
    token: ben.token,
  });
  const fromHistory = history.body.messages.at(-1).attachments[1];
  assert.ok((await download(n0!.url, fromHistory.url)).bytes.equals(png));
  assert.ok((await download(n1!.url, sent.body.attachments[1].url)).bytes.equals(png));

  // Deleted on n1: n0 refuses the links it signed before.
  const deleted = await http(n1!.url, "DELETE", `/api/messages/${sent.body.id}`, {
    token: ana.token,
  });
  assert.equal(deleted.status, 204);
  assert.equal((await download(n0!.url, sent.body.attachments[0].url)).status, 404);
  assert.equal(
    (await download(n0!.url, `/api/attachments/${file.id}`, { token: ben.token })).status,
    404,
  );
});
