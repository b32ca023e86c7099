/** GET /api/users?q=&online=: finding people by name, and who is online. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { eventually, http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("GET /api/users finds users by name and tells who is online", async (t) => {
  const fixture = await chatFixture(t, ["Ana", "anabel_x", "bruno"]);
  const [ana, anabel, bruno] = fixture.users;
  const { url, connect } = fixture;
  const find = (query: string) => http(url, "GET", `/api/users${query}`, { token: bruno.token });

  const all = await find("");
  assert.equal(all.status, 200);
  assert.deepEqual(
    all.body.users.map((u: any) => u.username),
    ["Ana", "anabel_x", "bruno"],
  );
  assert.deepEqual(all.body.users[0], {
    id: ana.user.id,
    username: "Ana",
    display_name: null,
    avatar_url: null,
    online: false,
  });

  assert.deepEqual(
    (await find("?q=ANA")).body.users.map((u: any) => u.id),
    [ana.user.id, anabel.user.id],
  );
  assert.deepEqual(
    (await find("?q=_x")).body.users.map((u: any) => u.username),
    ["anabel_x"],
  );
  assert.deepEqual((await find("?q=%25")).body.users, [], "% is not a wildcard");
  assert.deepEqual((await find("?q=zzz")).body.users, []);
  assert.equal((await find("?limit=1")).body.users.length, 1);

  const socket = await connect(anabel);
  await eventually(async () => {
    const online = await find("?online=true");
    assert.deepEqual(
      online.body.users.map((u: any) => [u.username, u.online]),
      [["anabel_x", true]],
    );
  });
  assert.deepEqual(
    (await find("?q=ana&online=false")).body.users.map((u: any) => u.username),
    ["Ana"],
  );
  socket.disconnect();
  await eventually(async () => assert.deepEqual((await find("?online=true")).body.users, []));

  for (const bad of ["?online=maybe", "?limit=0", "?limit=201", `?q=${"a".repeat(65)}`]) {
    const result = await find(bad);
    assert.equal(result.status, 400, bad);
    assert.equal(result.body.error.code, "VALIDATION_ERROR");
  }
  const anonymous = await http(url, "GET", "/api/users");
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.error.code, "UNAUTHORIZED");
});

test("GET /api/users?ids= tells who those users are and whether each is online", async (t) => {
  const { url, connect, users } = await chatFixture(t, ["ana", "ben", "eve"]);
  const [ana, ben, eve] = users;
  const byIds = (ids: string) => http(url, "GET", `/api/users?ids=${ids}`, { token: ana.token });
  // ben shares no chat with ana: his presence is not pushed to her, but she may ask.
  await connect(ben);
  const unknown = "00000000-0000-4000-8000-000000000000";
  const answer = await eventually(async () => {
    const result = await byIds(
      [eve.user.id, ben.user.id.toUpperCase(), unknown, ben.user.id].join(","),
    );
    assert.equal(result.status, 200);
    assert.equal(result.body.users[1]?.online, true);
    return result.body.users;
  });
  assert.deepEqual(answer, [
    { id: eve.user.id, username: "eve", display_name: null, avatar_url: null, online: false },
    { id: ben.user.id, username: "ben", display_name: null, avatar_url: null, online: true },
  ]);
  assert.deepEqual((await byIds(unknown)).body, { users: [] });
  const many = Array.from({ length: 200 }, () => unknown).join(",");
  assert.equal((await byIds(many)).status, 200);

  for (const bad of [
    "",
    `${many},${unknown}`,
    `urn:uuid:${unknown}`,
    `${unknown},`,
    `${unknown},,${unknown}`,
    "not-a-uuid",
  ]) {
    const result = await byIds(bad);
    assert.equal(result.status, 400, bad);
    assert.equal(result.body.error.code, "VALIDATION_ERROR");
  }
  assert.equal((await http(url, "GET", `/api/users?ids=${unknown}`)).status, 401);
});

test("GET /api/users?online= filters in the query: online users past the first page are found", async (t) => {
  const { url, app, connect, users } = await chatFixture(t, ["zz_late"]);
  const [late] = users;
  // More users sorting before the online one than the old 1000-row scan looked through
  // (stored directly: registering through the API would hash 1001 passwords).
  for (let i = 0; i < 1001; i++) {
    await app.store.users.create({
      id: randomUUID(),
      username: `aa_early_${String(i).padStart(4, "0")}`,
      password_hash: "not-a-hash",
    });
  }
  await connect(late);
  const find = (query: string) => http(url, "GET", `/api/users${query}`, { token: late.token });
  await eventually(async () => {
    const online = await find("?online=true&limit=5");
    assert.deepEqual(
      online.body.users.map((u: any) => [u.username, u.online]),
      [["zz_late", true]],
    );
  });
  const offline = await find("?online=false&limit=5");
  assert.deepEqual(
    offline.body.users.map((u: any) => u.username),
    ["aa_early_0000", "aa_early_0001", "aa_early_0002", "aa_early_0003", "aa_early_0004"],
  );
  assert.ok(offline.body.users.every((u: any) => u.online === false));
});
