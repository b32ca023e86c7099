/**
 * /api/chats: creating groups and direct chats, the list (order, last message, unread count),
 * one chat, and membership, whose changes reach live sockets at once.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import {
  connectSocket,
  eventually,
  http,
  nextEvent,
  received,
  settle,
} from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

function assertError(result: { status: number; body: any }, status: number, code: string) {
  assert.equal(result.status, status, JSON.stringify(result.body));
  assert.equal(result.body?.error?.code, code, JSON.stringify(result.body));
}

test("chats and membership over HTTP", async (t) => {
  const fixture = await chatFixture(t, ["ana", "ben", "eve", "dan"]);
  const [ana, ben, eve, dan] = fixture.users;
  const { url } = fixture;
  const members = (chat: any) =>
    chat.members
      .map((m: any) => [m.username, m.role])
      .sort((a: any, b: any) => (a[0] < b[0] ? -1 : 1));

  await t.test("create a group: 201, the caller is its owner and a member", async () => {
    const result = await http(url, "POST", "/api/chats", {
      token: ana.token,
      body: { type: "group", name: "  Team  ", member_ids: [ben.user.id, eve.user.id] },
    });
    assert.equal(result.status, 201, JSON.stringify(result.body));
    const chat = result.body;
    assert.equal(chat.type, "group");
    assert.equal(chat.name, "Team");
    assert.equal(chat.created_by, ana.user.id);
    assert.ok(!Number.isNaN(Date.parse(chat.created_at)));
    assert.deepEqual(members(chat), [
      ["ana", "owner"],
      ["ben", "member"],
      ["eve", "member"],
    ]);
    assert.deepEqual(
      chat.members.find((m: any) => m.username === "ben"),
      {
        user_id: ben.user.id,
        username: "ben",
        display_name: null,
        avatar_url: null,
        role: "member",
        last_read_seq: 0,
      },
    );
    // Listing yourself among the members changes nothing; an unnamed group has name null.
    const alone = await http(url, "POST", "/api/chats", {
      token: ana.token,
      body: { type: "group", member_ids: [ana.user.id] },
    });
    assert.equal(alone.status, 201);
    assert.equal(alone.body.name, null);
    assert.deepEqual(members(alone.body), [["ana", "owner"]]);
  });

  await t.test("create: unknown users are NOT_FOUND, bad input VALIDATION_ERROR", async () => {
    assertError(
      await http(url, "POST", "/api/chats", {
        token: ana.token,
        body: { type: "group", name: "x", member_ids: [randomUUID()] },
      }),
      404,
      "NOT_FOUND",
    );
    for (const body of [
      { type: "channel", member_ids: [] },
      { type: "group", member_ids: ["not-a-uuid"] },
      { type: "group", member_ids: [ben.user.id, ben.user.id] },
      { type: "group", name: "", member_ids: [] },
      { type: "group", name: "n".repeat(101), member_ids: [] },
      { type: "group" },
    ]) {
      assertError(
        await http(url, "POST", "/api/chats", { token: ana.token, body }),
        400,
        "VALIDATION_ERROR",
      );
    }
    assertError(
      await http(url, "POST", "/api/chats", { body: { type: "group", member_ids: [] } }),
      401,
      "UNAUTHORIZED",
    );
  });

  await t.test("direct: exactly one other user; opening it again returns it (200)", async () => {
    const first = await http(url, "POST", "/api/chats", {
      token: ben.token,
      body: { type: "direct", member_ids: [dan.user.id] },
    });
    assert.equal(first.status, 201);
    assert.equal(first.body.type, "direct");
    assert.equal(first.body.name, null);
    assert.deepEqual(members(first.body), [
      ["ben", "owner"],
      ["dan", "member"],
    ]);
    const again = await http(url, "POST", "/api/chats", {
      token: ben.token,
      body: { type: "direct", member_ids: [dan.user.id] },
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    // From the other side too, and with the caller listed as well.
    const reverse = await http(url, "POST", "/api/chats", {
      token: dan.token,
      body: { type: "direct", member_ids: [ben.user.id, dan.user.id] },
    });
    assert.equal(reverse.status, 200);
    assert.equal(reverse.body.id, first.body.id);

    // None, only the caller, or two others.
    for (const member_ids of [[], [ana.user.id], [eve.user.id, dan.user.id]]) {
      assertError(
        await http(url, "POST", "/api/chats", {
          token: ana.token,
          body: { type: "direct", member_ids },
        }),
        400,
        "VALIDATION_ERROR",
      );
    }
    assertError(
      await http(url, "POST", "/api/chats", {
        token: ana.token,
        body: { type: "direct", member_ids: [randomUUID()] },
      }),
      404,
      "NOT_FOUND",
    );
  });

  await t.test(
    "a direct chat one of the two left is both of theirs again when reopened",
    async (t) => {
      const chat = await fixture.direct(eve, dan);
      const danSocket = await connectSocket(t, url, dan.token);
      const eveSocket = await connectSocket(t, url, eve.token);
      const left = await http(url, "DELETE", `/api/chats/${chat.id}/members/${dan.user.id}`, {
        token: dan.token,
      });
      assert.equal(left.status, 204);
      assertError(
        await http(url, "GET", `/api/chats/${chat.id}`, { token: dan.token }),
        404,
        "NOT_FOUND",
      );

      const eveHears = nextEvent(eveSocket, "chat:member_added");
      const reopened = await http(url, "POST", "/api/chats", {
        token: dan.token,
        body: { type: "direct", member_ids: [eve.user.id] },
      });
      assert.equal(reopened.status, 200);
      assert.equal(reopened.body.id, chat.id);
      assert.deepEqual(reopened.body.members.map((m: any) => m.user_id).sort(), [
        ...[eve.user.id, dan.user.id].sort(),
      ]);
      assert.deepEqual(await eveHears, { chat_id: chat.id, user_id: dan.user.id });
      const danGets = nextEvent(danSocket, "message:send", (m: any) => m.chat_id === chat.id);
      const sent = await fixture.post(eve, chat.id, "welcome back");
      assert.equal((await danGets).id, sent.id);
      assert.equal(
        (await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: dan.token })).status,
        200,
      );
    },
  );

  await t.test("list: most recent activity first, with last message and unread count", async () => {
    const [fresh1, fresh2] = await Promise.all([fixture.register(), fixture.register()]);
    const quiet = await fixture.group(fresh1, [fresh2], "quiet");
    const busy = await fixture.direct(fresh1, fresh2);
    await fixture.post(fresh2, quiet.id, "one");
    await fixture.post(fresh2, quiet.id, "two");
    await fixture.post(fresh1, quiet.id, "mine");
    let list = await http(url, "GET", "/api/chats", { token: fresh1.token });
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.chats.map((c: any) => c.id),
      [quiet.id, busy.id],
    );
    const [first, second] = list.body.chats;
    assert.equal(first.last_message.body, "mine");
    assert.equal(first.last_message.seq, 3);
    assert.equal(first.unread_count, 2, "the other member's two messages");
    assert.equal(first.name, "quiet");
    assert.equal(first.members.length, 2);
    assert.equal(second.last_message, null);
    assert.equal(second.unread_count, 0);

    await fixture.post(fresh2, busy.id, "ping");
    assert.equal(
      (
        await http(url, "POST", `/api/chats/${quiet.id}/read`, {
          token: fresh1.token,
          body: { seq: 3 },
        })
      ).status,
      204,
    );
    list = await http(url, "GET", "/api/chats", { token: fresh1.token });
    assert.deepEqual(
      list.body.chats.map((c: any) => [c.id, c.unread_count]),
      [
        [busy.id, 1],
        [quiet.id, 0],
      ],
    );
    // Another user's list holds only their chats.
    const other = await http(url, "GET", "/api/chats", { token: eve.token });
    assert.ok(!other.body.chats.some((c: any) => c.id === quiet.id || c.id === busy.id));
  });

  await t.test("get: members only (NOT_FOUND otherwise); malformed id 400", async () => {
    const chat = await fixture.group(ana, [ben], "get");
    const got = await http(url, "GET", `/api/chats/${chat.id}`, { token: ben.token });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, chat);
    const outsider = await http(url, "GET", `/api/chats/${chat.id}`, { token: eve.token });
    const missing = await http(url, "GET", `/api/chats/${randomUUID()}`, { token: eve.token });
    assertError(outsider, 404, "NOT_FOUND");
    assertError(missing, 404, "NOT_FOUND");
    assert.deepEqual(outsider.body, missing.body, "an existing chat cannot be told apart");
    assertError(
      await http(url, "GET", "/api/chats/not-a-uuid", { token: ben.token }),
      400,
      "VALIDATION_ERROR",
    );
  });

  await t.test("add a member: owner only; the new member's socket receives at once", async (t) => {
    const chat = await fixture.group(ana, [ben], "adding");
    const danSocket = await connectSocket(t, url, dan.token);
    const benSocket = await connectSocket(t, url, ben.token);

    assertError(
      await http(url, "POST", `/api/chats/${chat.id}/members`, {
        token: ben.token,
        body: { user_id: dan.user.id },
      }),
      403,
      "FORBIDDEN",
    );
    assertError(
      await http(url, "POST", `/api/chats/${chat.id}/members`, {
        token: eve.token,
        body: { user_id: dan.user.id },
      }),
      404,
      "NOT_FOUND",
    );
    assertError(
      await http(url, "POST", `/api/chats/${chat.id}/members`, {
        token: ana.token,
        body: { user_id: randomUUID() },
      }),
      404,
      "NOT_FOUND",
    );

    const benHears = nextEvent(benSocket, "chat:member_added");
    const danGetsChat = nextEvent(danSocket, "chat:created");
    const added = await http(url, "POST", `/api/chats/${chat.id}/members`, {
      token: ana.token,
      body: { user_id: dan.user.id },
    });
    assert.equal(added.status, 201);
    assert.deepEqual(members(added.body), [
      ["ana", "owner"],
      ["ben", "member"],
      ["dan", "member"],
    ]);
    assert.deepEqual(await benHears, { chat_id: chat.id, user_id: dan.user.id });
    assert.equal((await danGetsChat).id, chat.id);

    const danGets = nextEvent(danSocket, "message:send", (m: any) => m.chat_id === chat.id);
    const sent = await fixture.post(ana, chat.id, "welcome dan");
    assert.equal((await danGets).id, sent.id);
    assert.equal(
      (await http(url, "GET", `/api/chats/${chat.id}`, { token: dan.token })).status,
      200,
    );

    assertError(
      await http(url, "POST", `/api/chats/${chat.id}/members`, {
        token: ana.token,
        body: { user_id: dan.user.id },
      }),
      409,
      "CONFLICT",
    );
    const direct = await fixture.direct(ana, ben);
    assertError(
      await http(url, "POST", `/api/chats/${direct.id}/members`, {
        token: ana.token,
        body: { user_id: eve.user.id },
      }),
      403,
      "FORBIDDEN",
    );
  });

  await t.test(
    "remove a member: owner or self; their socket stops receiving at once",
    async (t) => {
      const chat = await fixture.group(ana, [ben, eve, dan], "removing");
      const benSocket = await connectSocket(t, url, ben.token);
      const eveSocket = await connectSocket(t, url, eve.token);

      // A member may not remove another member.
      assertError(
        await http(url, "DELETE", `/api/chats/${chat.id}/members/${eve.user.id}`, {
          token: ben.token,
        }),
        403,
        "FORBIDDEN",
      );

      const benHearsOwnRemoval = nextEvent(benSocket, "chat:member_removed");
      const eveHears = nextEvent(eveSocket, "chat:member_removed");
      const removed = await http(url, "DELETE", `/api/chats/${chat.id}/members/${ben.user.id}`, {
        token: ana.token,
      });
      assert.equal(removed.status, 204);
      assert.deepEqual(await benHearsOwnRemoval, { chat_id: chat.id, user_id: ben.user.id });
      assert.deepEqual(await eveHears, { chat_id: chat.id, user_id: ben.user.id });

      const eveGets = nextEvent(eveSocket, "message:send", (m: any) => m.chat_id === chat.id);
      const after = await fixture.post(ana, chat.id, "ben is gone");
      assert.equal((await eveGets).id, after.id);
      await settle(benSocket);
      assert.ok(
        !received(benSocket).some((e) => e.event === "message:send" && e.payload.id === after.id),
        "the removed member's socket got a message of the chat",
      );
      assertError(
        await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ben.token }),
        404,
        "NOT_FOUND",
      );
      assertError(
        await http(url, "DELETE", `/api/chats/${chat.id}/members/${ben.user.id}`, {
          token: ana.token,
        }),
        404,
        "NOT_FOUND",
      );

      // Leaving: a member removes themself.
      const left = await http(url, "DELETE", `/api/chats/${chat.id}/members/${eve.user.id}`, {
        token: eve.token,
      });
      assert.equal(left.status, 204);
      const later = await fixture.post(ana, chat.id, "eve left");
      await settle(eveSocket);
      assert.ok(
        !received(eveSocket).some((e) => e.event === "message:send" && e.payload.id === later.id),
      );
      const chatNow = await http(url, "GET", `/api/chats/${chat.id}`, { token: ana.token });
      assert.deepEqual(members(chatNow.body), [
        ["ana", "owner"],
        ["dan", "member"],
      ]);
      assertError(
        await http(url, "DELETE", `/api/chats/${chat.id}/members/not-a-uuid`, { token: ana.token }),
        400,
        "VALIDATION_ERROR",
      );
    },
  );

  await t.test("an owner who leaves hands the group to the longest-standing member", async () => {
    const chat = await fixture.group(dan, [eve], "handover");
    const left = await http(url, "DELETE", `/api/chats/${chat.id}/members/${dan.user.id}`, {
      token: dan.token,
    });
    assert.equal(left.status, 204);
    const now = await http(url, "GET", `/api/chats/${chat.id}`, { token: eve.token });
    assert.deepEqual(members(now.body), [["eve", "owner"]]);
    const added = await http(url, "POST", `/api/chats/${chat.id}/members`, {
      token: eve.token,
      body: { user_id: ana.user.id },
    });
    assert.equal(added.status, 201);
    await eventually(async () => {
      const list = await http(url, "GET", "/api/chats", { token: ana.token });
      assert.ok(list.body.chats.some((c: any) => c.id === chat.id));
    });
  });
});
