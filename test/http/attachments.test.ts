/**
 * Attachments end to end: uploads typed from their bytes and held to their limits, attached
 * by their uploader once, carried by every payload with fresh signed links, served with
 * Range to who may see them and never executable, and refused once the message is deleted.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import sharp from "sharp";
import { emitWithAck, http, nextEvent } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { pngBomb, solidImage, SVG } from "../support/images.ts";
import { download, upload, uploaded } from "../support/uploads.ts";

test("attachments: upload, send, see in every payload, download with Range", async (t) => {
  const { url, users, direct, register, connect } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  const chat = await direct(ana, ben);
  const eve = await register();

  // An image: its type comes from the bytes (not the name or header), its size from sharp.
  const photo = await solidImage(1200, 800, "jpeg", { gps: true });
  const image = await uploaded(url, ana.token, photo, "holiday.txt", "text/plain");
  assert.deepEqual(
    { ...image, id: undefined },
    {
      id: undefined,
      name: "holiday.txt",
      content_type: "image/jpeg",
      size: photo.length,
      width: 1200,
      height: 800,
    },
  );
  const bytes = randomBytes(700_000);
  const file = await uploaded(url, ana.token, bytes, "report.pdf");
  assert.equal(file.content_type, "application/octet-stream");
  assert.equal(file.width, null);

  // Before it is sent: its uploader may fetch it with the token; nobody else.
  assert.equal(
    (await download(url, `/api/attachments/${file.id}`, { token: ana.token })).status,
    200,
  );
  assert.equal(
    (await download(url, `/api/attachments/${file.id}`, { token: ben.token })).status,
    404,
  );

  // Sent over the socket: the ack and the live event carry the attachments with links.
  const benSocket = await connect(ben);
  const live = nextEvent(benSocket, "message:send");
  const anaSocket = await connect(ana);
  const ack = await emitWithAck(anaSocket, "message:send", {
    chat_id: chat.id,
    body: "",
    attachment_ids: [image.id.toUpperCase(), file.id],
  });
  assert.equal(ack.ok, true, JSON.stringify(ack));
  const message = ack.message;
  assert.equal(message.body, "");
  assert.deepEqual(
    message.attachments.map((a: any) => [a.id, a.name]),
    [
      [image.id, "holiday.txt"],
      [file.id, "report.pdf"],
    ],
  );
  const [img, doc] = message.attachments;
  assert.match(img.url, /^\/api\/attachments\/[0-9a-f-]{36}\?exp=\d+&sig=[A-Za-z0-9_-]+$/);
  assert.match(img.thumbnail_url, /^\/api\/attachments\/[0-9a-f-]{36}\/thumbnail\?exp=/);
  assert.equal(doc.thumbnail_url, null);
  const exp = Number(new URL(img.url, url).searchParams.get("exp"));
  assert.ok(exp * 1000 - Date.now() >= 3600_000, "valid at least an hour");
  assert.deepEqual((await live).attachments, message.attachments);

  // Attached once: again (by anyone) is NOT_FOUND; someone else's upload too.
  const again = await emitWithAck(anaSocket, "message:send", {
    chat_id: chat.id,
    body: "again",
    attachment_ids: [file.id],
  });
  assert.equal(again.error?.code, "NOT_FOUND");
  const bens = await uploaded(url, ben.token, randomBytes(10));
  const stolen = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
    token: ana.token,
    body: { body: "mine now", attachment_ids: [bens.id] },
  });
  assert.equal(stolen.status, 404);
  // Neither body nor attachment; more than 10.
  const empty = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
    token: ana.token,
    body: { body: "  " },
  });
  assert.equal(empty.status, 400);
  const eleven = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
    token: ana.token,
    body: { attachment_ids: Array.from({ length: 11 }, () => bens.id) },
  });
  assert.equal(eleven.status, 400);

  // Over HTTP, with a client_msg_id: a repeat answers the original.
  const pdf = await uploaded(url, ana.token, Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"), "a.pdf");
  assert.equal(pdf.content_type, "application/pdf");
  const posted = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
    token: ana.token,
    body: { body: "the doc", attachment_ids: [pdf.id], client_msg_id: "c1" },
  });
  assert.equal(posted.status, 201, JSON.stringify(posted.body));
  assert.equal(posted.body.attachments[0].id, pdf.id);
  const repeat = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
    token: ana.token,
    body: { body: "the doc", attachment_ids: [pdf.id], client_msg_id: "c1" },
  });
  assert.equal(repeat.status, 200);
  assert.equal(repeat.body.id, posted.body.id);

  // History, sync and the chat list carry them too.
  const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ben.token });
  assert.deepEqual(
    history.body.messages.map((m: any) => m.attachments.length),
    [2, 1],
  );
  const sync = await emitWithAck(benSocket, "sync", {});
  assert.equal(sync.chats[0].messages[0].attachments.length, 2);
  const list = await http(url, "GET", "/api/chats", { token: ben.token });
  assert.equal(list.body.chats[0].last_message.attachments[0].id, pdf.id);

  // The signed link works without a token, for the image inline and stripped of EXIF.
  const shown = await download(url, img.url);
  assert.equal(shown.status, 200);
  assert.equal(shown.headers.get("content-type"), "image/jpeg");
  assert.match(shown.headers.get("content-disposition")!, /^inline; filename="holiday.txt"/);
  assert.equal(shown.headers.get("x-content-type-options"), "nosniff");
  assert.equal(shown.headers.get("content-security-policy"), "sandbox");
  assert.ok(shown.bytes.equals(photo));
  const thumb = await download(url, img.thumbnail_url);
  assert.equal(thumb.status, 200);
  const meta = await sharp(thumb.bytes).metadata();
  assert.equal(meta.format, "webp");
  assert.ok(meta.width! <= 480 && meta.height! <= 480);
  assert.equal(meta.exif, undefined, "no EXIF in the thumbnail");

  // Other files are downloads; Range works.
  const whole = await download(url, doc.url);
  assert.equal(whole.status, 200);
  assert.match(whole.headers.get("content-disposition")!, /^attachment; filename="report.pdf"/);
  assert.equal(whole.headers.get("accept-ranges"), "bytes");
  assert.ok(whole.bytes.equals(bytes));
  const part = await download(url, doc.url, { range: "bytes=300000-300099" });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 300000-300099/${bytes.length}`);
  assert.ok(part.bytes.equals(bytes.subarray(300_000, 300_100)));
  const tail = await download(url, doc.url, { range: "bytes=-10" });
  assert.ok(tail.bytes.equals(bytes.subarray(bytes.length - 10)));
  const beyond = await download(url, doc.url, { range: `bytes=${bytes.length}-` });
  assert.equal(beyond.status, 416);

  // A member's token works; a non-member's does not, nor a bad signature; nothing is 401.
  const path = `/api/attachments/${file.id}`;
  assert.equal((await download(url, path, { token: ben.token })).status, 200);
  assert.equal((await download(url, path, { token: eve.token })).status, 404);
  assert.equal((await download(url, path)).status, 401);
  const forged = doc.url.replace(/sig=[^&]+/, "sig=AAAA");
  assert.equal((await download(url, forged)).status, 404);
  const otherFile = img.url.replace(image.id, file.id);
  assert.equal((await download(url, otherFile)).status, 404, "a link is bound to its file");
  const asThumb = img.url.replace(`${image.id}?`, `${image.id}/thumbnail?`);
  assert.equal((await download(url, asThumb)).status, 404, "and to its variant");

  // Deleting the message ends every way in.
  const deleted = await emitWithAck(anaSocket, "message:delete", { id: message.id });
  assert.equal(deleted.ok, true);
  assert.equal((await download(url, img.url)).status, 404);
  assert.equal((await download(url, img.thumbnail_url)).status, 404);
  assert.equal((await download(url, path, { token: ben.token })).status, 404);
  const after = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ben.token });
  assert.deepEqual(after.body.messages[0].attachments, [], "a deleted message shows none");
});

test("uploads: limits, bombs, SVG and HTML, who may upload", async (t) => {
  const { url, users, direct, connect } = await chatFixture(t, ["ana", "ben"], {
    maxUploadBytes: 100_000,
  });
  const [ana, ben] = users;
  const chat = await direct(ana, ben);

  assert.equal((await upload(url, ana.token, randomBytes(100_000))).status, 201, "the limit");
  const over = await upload(url, ana.token, randomBytes(100_001));
  assert.equal(over.status, 413);
  assert.equal(over.body.error.code, "PAYLOAD_TOO_LARGE");
  const small = await upload(url, ana.token, randomBytes(10));
  assert.equal(small.status, 201, "the server still answers after a refused upload");

  const bomb = await upload(url, ana.token, pngBomb(), "bomb.png", "image/png");
  assert.equal(bomb.status, 400);
  assert.equal(bomb.body.error.code, "VALIDATION_ERROR");
  const fake = await upload(url, ana.token, Buffer.concat([pngBomb().subarray(0, 40)]), "x.png");
  assert.equal(fake.status, 400, "a PNG that does not decode is refused");

  assert.equal((await upload(url, undefined, randomBytes(10))).status, 401);
  const notMultipart = await http(url, "POST", "/api/uploads", { token: ana.token, body: {} });
  assert.equal(notMultipart.status, 400);

  // SVG and HTML: stored as what they are, served as downloads that cannot run.
  const svg = await uploaded(url, ana.token, SVG, "logo.svg", "image/svg+xml");
  assert.equal(svg.content_type, "image/svg+xml");
  assert.equal(svg.width, null);
  const page = await uploaded(url, ana.token, Buffer.from("<!DOCTYPE html><script>x</script>"));
  assert.equal(page.content_type, "text/html");
  const socket = await connect(ana);
  const sent = await emitWithAck(socket, "message:send", {
    chat_id: chat.id,
    body: "look",
    attachment_ids: [svg.id, page.id],
  });
  assert.equal(sent.ok, true, JSON.stringify(sent));
  for (const attachment of sent.message.attachments) {
    assert.equal(attachment.thumbnail_url, null);
    const served = await download(url, attachment.url);
    assert.equal(served.status, 200);
    assert.match(served.headers.get("content-disposition")!, /^attachment;/);
    assert.equal(served.headers.get("x-content-type-options"), "nosniff");
    assert.equal(served.headers.get("content-security-policy"), "sandbox");
  }
});
