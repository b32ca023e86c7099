/**
 * Group roles owner / admin / member (CONTRACT.md v2): the owner sets roles; group admins add
 * and remove members (not the owner), delete any message of the group and rename it.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { http, nextEvent } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("group roles", async (t) => {
  const fixture = await chatFixture(t, ["owner_g", "adam_g", "mia_g", "new_g", "out_g"]);
  const {
    url,
    users: [owner, adam, mia, newcomer, outsider],
  } = fixture;
  const group = await fixture.group(owner, [adam, mia], "roles");
  const patchRole = (as: { token: string }, userId: string, role: unknown, chatId = group.id) =>
    http(url, "PATCH", `/api/chats/${chatId}/members/${userId}`, {
      token: as.token,
      body: { role },
    });

  await t.test("a plain member manages nothing", async () => {
    const add = await http(url, "POST", `/api/chats/${group.id}/members`, {
      token: adam.token,
      body: { user_id: newcomer.user.id },
    });
    assert.equal(add.status, 403);
    const message = await fixture.post(mia, group.id, "mine");
    const del = await http(url, "DELETE", `/api/messages/${message.id}`, { token: adam.token });
    assert.equal(del.status, 403);
    assert.equal((await patchRole(adam, mia.user.id, "admin")).status, 403);
  });

  await t.test("the owner makes a member admin: 200 chat, members told", async () => {
    const mias = await fixture.connect(mia);
    const told = nextEvent(mias, "chat:member_updated");
    const done = await patchRole(owner, adam.user.id, "admin");
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.members.find((m: any) => m.user_id === adam.user.id).role, "admin");
    assert.deepEqual(await told, { chat_id: group.id, user_id: adam.user.id, role: "admin" });
    const seen = await http(url, "GET", `/api/chats/${group.id}`, { token: mia.token });
    assert.equal(seen.body.members.find((m: any) => m.user_id === adam.user.id).role, "admin");
  });

  await t.test("a group admin adds and removes members, not the owner", async () => {
    const add = await http(url, "POST", `/api/chats/${group.id}/members`, {
      token: adam.token,
      body: { user_id: newcomer.user.id },
    });
    assert.equal(add.status, 201);
    const remove = await http(url, "DELETE", `/api/chats/${group.id}/members/${newcomer.user.id}`, {
      token: adam.token,
    });
    assert.equal(remove.status, 204);
    const owner403 = await http(url, "DELETE", `/api/chats/${group.id}/members/${owner.user.id}`, {
      token: adam.token,
    });
    assert.equal(owner403.status, 403);
    assert.equal(owner403.body.error.code, "FORBIDDEN");
  });

  await t.test("a group admin deletes any message of the group (broadcast)", async () => {
    const message = await fixture.post(owner, group.id, "the owner's words");
    const mias = await fixture.connect(mia);
    const deleted = nextEvent(mias, "message:delete", (e: any) => e.id === message.id);
    const del = await http(url, "DELETE", `/api/messages/${message.id}`, { token: adam.token });
    assert.equal(del.status, 204);
    await deleted;
  });

  await t.test("a group admin renames the group (the same check)", async () => {
    const renamed = await http(url, "PATCH", `/api/chats/${group.id}`, {
      token: adam.token,
      body: { name: "renamed by an admin" },
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  });

  await t.test("only the owner changes roles, and never its own", async () => {
    assert.equal((await patchRole(adam, mia.user.id, "admin")).status, 403, "an admin");
    assert.equal((await patchRole(owner, owner.user.id, "member")).status, 403, "the owner");
    const notMember = await patchRole(owner, outsider.user.id, "admin");
    assert.equal(notMember.status, 404);
    const outsiderCall = await patchRole(outsider, mia.user.id, "admin");
    assert.equal(outsiderCall.status, 404, "a chat one is not in is NOT_FOUND");
    for (const role of ["owner", "boss", 1]) {
      const bad = await patchRole(owner, mia.user.id, role);
      assert.equal(bad.status, 400, String(role));
      assert.equal(bad.body.error.code, "VALIDATION_ERROR");
    }
    assert.equal((await patchRole(owner, mia.user.id, "admin", "not-a-uuid")).status, 400);
    assert.equal((await patchRole(owner, mia.user.id, "admin", randomUUID())).status, 404);
    const direct = await fixture.direct(owner, mia);
    assert.equal((await patchRole(owner, mia.user.id, "admin", direct.id)).status, 403);
  });

  await t.test("an admin made member again loses the powers at once", async () => {
    assert.equal((await patchRole(owner, adam.user.id, "member")).status, 200);
    const add = await http(url, "POST", `/api/chats/${group.id}/members`, {
      token: adam.token,
      body: { user_id: newcomer.user.id },
    });
    assert.equal(add.status, 403);
  });

  await t.test("an owner who leaves hands the group to an admin first", async () => {
    assert.equal((await patchRole(owner, mia.user.id, "admin")).status, 200);
    const leave = await http(url, "DELETE", `/api/chats/${group.id}/members/${owner.user.id}`, {
      token: owner.token,
    });
    assert.equal(leave.status, 204);
    const seen = await http(url, "GET", `/api/chats/${group.id}`, { token: adam.token });
    assert.equal(seen.body.members.find((m: any) => m.user_id === mia.user.id).role, "owner");
  });
});
