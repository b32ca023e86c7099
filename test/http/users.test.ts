/** GET /api/users?q=&online=: finding people by name, and who is online. */
import assert from "node:assert/strict";
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
  assert.deepEqual(all.body.users[0], { id: ana.user.id, username: "Ana", online: false });

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
