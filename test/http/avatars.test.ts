/**
 * Avatars: uploaded as a raw body or multipart `file`, decoded and re-encoded (256×256,
 * square, no metadata), served under an unguessable path with immutable caching, refused
 * when they are not one of the four image types, too large, or a decompression bomb.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import sharp from "sharp";
import { http, nextEvent } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { pngBomb, solidImage, SVG } from "../support/images.ts";

async function put(url: string, token: string, body: Uint8Array | FormData, type?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (type) headers["content-type"] = type;
  const response = await fetch(`${url}/api/users/me/avatar`, { method: "PUT", headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

test("avatars: set, served, replaced, removed", async (t) => {
  const { url, users, connect, direct } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  await direct(ana, ben);
  const benSocket = await connect(ben);

  const heard = nextEvent(benSocket, "user:updated", (u: any) => u.avatar_url !== null);
  const photo = await solidImage(640, 480, "jpeg", { gps: true });
  assert.ok((await sharp(photo).metadata()).exif, "the upload does carry EXIF");
  const set = await put(url, ana.token, photo, "image/jpeg");
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const path: string = set.body.avatar_url;
  assert.match(path, /^\/avatars\/[A-Za-z0-9_-]{20,}$/);
  assert.ok(!path.includes(ana.user.id) && !path.toLowerCase().includes("ana"));
  assert.equal((await heard).avatar_url, path);

  const served = await fetch(url + path);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("content-type"), "image/webp");
  assert.equal(served.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(served.headers.get("x-content-type-options"), "nosniff");
  const bytes = Buffer.from(await served.arrayBuffer());
  const meta = await sharp(bytes).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ["webp", 256, 256]);
  assert.equal(meta.exif, undefined, "no EXIF (and so no GPS) survives");

  // A tiny image is scaled up; a wrong Content-Type does not matter (the bytes decide);
  // multipart works too; each change makes a new path and the old one stops working.
  const multipart = new FormData();
  multipart.append("file", new Blob([await solidImage(16, 40, "png")]), "me.png");
  const again = await put(url, ana.token, multipart);
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.notEqual(again.body.avatar_url, path);
  assert.equal((await fetch(url + path)).status, 404);
  const small = await sharp(
    Buffer.from(await (await fetch(url + again.body.avatar_url)).arrayBuffer()),
  ).metadata();
  assert.deepEqual([small.width, small.height], [256, 256]);
  for (const format of ["webp", "gif"] as const) {
    const result = await put(
      url,
      ana.token,
      await solidImage(50, 50, format),
      "application/octet-stream",
    );
    assert.equal(result.status, 200, format);
  }

  const me = await http(url, "GET", "/api/users/me", { token: ana.token });
  assert.match(me.body.avatar_url, /^\/avatars\//);

  const removed = await fetch(`${url}/api/users/me/avatar`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${ana.token}` },
  });
  assert.equal(removed.status, 204);
  assert.equal(
    (await http(url, "GET", "/api/users/me", { token: ana.token })).body.avatar_url,
    null,
  );
  assert.equal((await fetch(url + me.body.avatar_url)).status, 404);
  assert.equal((await fetch(`${url}/avatars/`)).status, 404, "nothing is listed");
});

test("avatars: what is not an accepted image is refused", async (t) => {
  const { url, users } = await chatFixture(t, ["ana"]);
  const [ana] = users;
  const refused = async (
    body: Uint8Array | FormData,
    type: string | undefined,
    status: number,
    code: string,
  ) => {
    const result = await put(url, ana.token, body, type);
    assert.equal(result.status, status, JSON.stringify(result.body));
    assert.equal(result.body.error.code, code);
  };
  await refused(SVG, "image/svg+xml", 400, "VALIDATION_ERROR");
  await refused(Buffer.from("<html><body>hi</body></html>"), "image/png", 400, "VALIDATION_ERROR");
  await refused(Buffer.from("plain text"), "text/plain", 400, "VALIDATION_ERROR");
  // A real PNG header with its body cut off does not decode.
  await refused(
    (await solidImage(100, 100, "png")).subarray(0, 60),
    "image/png",
    400,
    "VALIDATION_ERROR",
  );
  // The bomb: a few hundred bytes that claim 50,000 × 50,000 pixels, refused from the header.
  const bomb = pngBomb();
  assert.ok(bomb.length < 1024);
  const rssBefore = process.memoryUsage().rss;
  await refused(bomb, "image/png", 400, "VALIDATION_ERROR");
  assert.ok(
    process.memoryUsage().rss - rssBefore < 512 * 1024 * 1024,
    "nothing like 10 GB was allocated",
  );
  // Over 5 MiB: raw and multipart.
  const big = Buffer.alloc(5 * 1024 * 1024 + 1);
  await refused(big, "image/png", 413, "PAYLOAD_TOO_LARGE");
  const form = new FormData();
  form.append("file", new Blob([big]), "big.png");
  await refused(form, undefined, 413, "PAYLOAD_TOO_LARGE");
  const wrongField = new FormData();
  wrongField.append("photo", new Blob([await solidImage(10, 10, "png")]), "x.png");
  await refused(wrongField, undefined, 400, "VALIDATION_ERROR");
  await refused(new Uint8Array(), "image/png", 400, "VALIDATION_ERROR");
  assert.equal(
    (await http(url, "GET", "/api/users/me", { token: ana.token })).body.avatar_url,
    null,
  );
  assert.equal(
    (await put(url, "bad-token", await solidImage(10, 10, "png"), "image/png")).status,
    401,
  );
});
