/**
 * Messages over HTTP: history cursors, posting (with client_msg_id retries), editing,
 * deleting, read positions; each change also reaches the members' sockets.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { connectSocket, http, nextEvent, received, settle } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

function assertError(result: { status: number; body: any }, status: number, code: string) {
  assert.equal(result.status, status, JSON.stringify(result.body));
  assert.equal(result.body?.error?.code, code, JSON.stringify(result.body));
}

const seqs = (result: { body: any }) => result.body.messages.map((m: any) => m.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

test("messages over HTTP", async (t) => {
  const fixture = await chatFixture(t, ["ana", "ben", "eve"]);
  const [ana, ben, eve] = fixture.users;
  const { url } = fixture;
  const group = await fixture.group(ana, [ben], "group");
  const direct = await fixture.direct(ana, ben);

  await t.test("history: newest 50 by default, limit up to 200, before/after cursors", async () => {
    const chat = await fixture.group(ana, [ben], "long");
    for (let i = 1; i <= 205; i += 1) {
      // Sequential on purpose: each message's seq is its position.
      await fixture.post(i % 2 ? ana : ben, chat.id, `m${i}`);
    }
    const get = (query = "", token = ben.token) =>
      http(url, "GET", `/api/chats/${chat.id}/messages${query}`, { token });

    const newest = await get();
    assert.equal(newest.status, 200);
    assert.deepEqual(seqs(newest), range(156, 205));
    assert.equal(newest.body.has_more, true);
    assert.equal(newest.body.messages.at(-1).body, "m205");

    const older = await get("?before_seq=156&limit=100");
    assert.deepEqual(seqs(older), range(56, 155));
    assert.equal(older.body.has_more, true);
    const oldest = await get("?before_seq=56&limit=100");
    assert.deepEqual(seqs(oldest), range(1, 55));
    assert.equal(oldest.body.has_more, false);

    const catchUp = await get("?after_seq=200");
    assert.deepEqual(seqs(catchUp), range(201, 205));
    assert.equal(catchUp.body.has_more, false);
    const firstPage = await get("?after_seq=0&limit=10");
    assert.deepEqual(seqs(firstPage), range(1, 10));
    assert.equal(firstPage.body.has_more, true);

    const max = await get("?limit=200");
    assert.deepEqual(seqs(max), range(6, 205));
    for (const bad of [
      "?limit=201",
      "?limit=0",
      "?limit=abc",
      "?before_seq=-1",
      "?after_seq=1.5",
    ]) {
      assertError(await get(bad), 400, "VALIDATION_ERROR");
    }
    assertError(await get("", eve.token), 404, "NOT_FOUND");
    assertError(
      await http(url, "GET", `/api/chats/${randomUUID()}/messages`, { token: ana.token }),
      404,
      "NOT_FOUND",
    );
    assertError(
      await http(url, "GET", "/api/chats/nope/messages", { token: ana.token }),
      400,
      "VALIDATION_ERROR",
    );
  });

  await t.test(
    "post: 201, broadcast to the members; a repeated client_msg_id is 200",
    async (t) => {
      const benSocket = await connectSocket(t, url, ben.token);
      const eveSocket = await connectSocket(t, url, eve.token);
      const benGets = nextEvent(benSocket, "message:send");
      const result = await http(url, "POST", `/api/chats/${group.id}/messages`, {
        token: ana.token,
        body: { body: "  hola  ", client_msg_id: "http-1" },
      });
      assert.equal(result.status, 201);
      const message = result.body;
      assert.equal(message.body, "hola", "trimmed");
      assert.equal(message.chat_id, group.id);
      assert.equal(message.sender_id, ana.user.id);
      assert.equal(message.status, "sent");
      assert.equal(message.client_msg_id, "http-1");
      assert.equal(message.updated_at, null);
      assert.equal(typeof message.seq, "number");
      assert.deepEqual(await benGets, message);

      const retry = await http(url, "POST", `/api/chats/${group.id}/messages`, {
        token: ana.token,
        body: { body: "hola (retry)", client_msg_id: "http-1" },
      });
      assert.equal(retry.status, 200);
      assert.deepEqual(retry.body, message);
      const history = await http(url, "GET", `/api/chats/${group.id}/messages`, {
        token: ana.token,
      });
      assert.equal(
        history.body.messages.filter((m: any) => m.client_msg_id === "http-1").length,
        1,
      );

      // A non-member cannot post, and saw nothing.
      assertError(
        await http(url, "POST", `/api/chats/${group.id}/messages`, {
          token: eve.token,
          body: { body: "let me in" },
        }),
        404,
        "NOT_FOUND",
      );
      await settle(benSocket);
      await settle(eveSocket);
      assert.ok(!received(eveSocket).some((e) => e.event.startsWith("message:")));
      assert.equal(
        received(benSocket).filter((e) => e.event === "message:send").length,
        1,
        "the retry was not broadcast again",
      );
      for (const body of [{ body: "" }, { body: "   " }, { body: "x".repeat(4001) }, {}]) {
        assertError(
          await http(url, "POST", `/api/chats/${group.id}/messages`, { token: ana.token, body }),
          400,
          "VALIDATION_ERROR",
        );
      }
      // 4000 characters after trimming is the most, counted in characters (not UTF-16 units).
      const longest = await http(url, "POST", `/api/chats/${group.id}/messages`, {
        token: ana.token,
        body: { body: `  ${"😀".repeat(4000)}  ` },
      });
      assert.equal(longest.status, 201);
      assert.equal([...longest.body.body].length, 4000);
    },
  );

  await t.test("PATCH: the sender edits (200, broadcast); others 403; deleted 404", async (t) => {
    const benSocket = await connectSocket(t, url, ben.token);
    const sent = await fixture.post(ana, group.id, "typo");
    const benGets = nextEvent(benSocket, "message:update");
    const edited = await http(url, "PATCH", `/api/messages/${sent.id}`, {
      token: ana.token,
      body: { body: "fixed" },
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.id, sent.id);
    assert.equal(edited.body.body, "fixed");
    assert.equal(edited.body.status, "updated");
    assert.equal(edited.body.seq, sent.seq);
    assert.ok(!Number.isNaN(Date.parse(edited.body.updated_at)));
    assert.deepEqual(await benGets, edited.body);

    assertError(
      await http(url, "PATCH", `/api/messages/${sent.id}`, {
        token: ben.token,
        body: { body: "not mine" },
      }),
      403,
      "FORBIDDEN",
    );
    // The group's owner may delete others' messages, but never edit them.
    const bens = await fixture.post(ben, group.id, "ben's");
    assertError(
      await http(url, "PATCH", `/api/messages/${bens.id}`, {
        token: ana.token,
        body: { body: "owner edit" },
      }),
      403,
      "FORBIDDEN",
    );
    assertError(
      await http(url, "PATCH", `/api/messages/${sent.id}`, {
        token: eve.token,
        body: { body: "outsider" },
      }),
      404,
      "NOT_FOUND",
    );
    assertError(
      await http(url, "PATCH", `/api/messages/${randomUUID()}`, {
        token: ana.token,
        body: { body: "nothing" },
      }),
      404,
      "NOT_FOUND",
    );
    assertError(
      await http(url, "PATCH", `/api/messages/${sent.id}`, {
        token: ana.token,
        body: { body: " " },
      }),
      400,
      "VALIDATION_ERROR",
    );
    assert.equal(
      (await http(url, "DELETE", `/api/messages/${sent.id}`, { token: ana.token })).status,
      204,
    );
    assertError(
      await http(url, "PATCH", `/api/messages/${sent.id}`, {
        token: ana.token,
        body: { body: "again" },
      }),
      404,
      "NOT_FOUND",
    );
  });

  await t.test(
    "DELETE: sender or group owner (204, broadcast); again 404; body emptied",
    async (t) => {
      const benSocket = await connectSocket(t, url, ben.token);
      const own = await fixture.post(ben, group.id, "secret one");
      const benGets = nextEvent(benSocket, "message:delete");
      assert.equal(
        (await http(url, "DELETE", `/api/messages/${own.id}`, { token: ben.token })).status,
        204,
      );
      const event = await benGets;
      assert.equal(event.id, own.id);
      assert.equal(event.chat_id, group.id);
      assertError(
        await http(url, "DELETE", `/api/messages/${own.id}`, { token: ben.token }),
        404,
        "NOT_FOUND",
      );

      // The group's owner deletes a member's message; a member may not delete the owner's.
      const bens = await fixture.post(ben, group.id, "secret two");
      const anas = await fixture.post(ana, group.id, "owner's");
      assertError(
        await http(url, "DELETE", `/api/messages/${anas.id}`, { token: ben.token }),
        403,
        "FORBIDDEN",
      );
      assert.equal(
        (await http(url, "DELETE", `/api/messages/${bens.id}`, { token: ana.token })).status,
        204,
      );
      // In a direct chat nobody owns the other's messages.
      const inDirect = await fixture.post(ben, direct.id, "direct");
      assertError(
        await http(url, "DELETE", `/api/messages/${inDirect.id}`, { token: ana.token }),
        403,
        "FORBIDDEN",
      );
      assertError(
        await http(url, "DELETE", `/api/messages/${inDirect.id}`, { token: eve.token }),
        404,
        "NOT_FOUND",
      );
      assertError(
        await http(url, "DELETE", "/api/messages/123", { token: ana.token }),
        400,
        "VALIDATION_ERROR",
      );

      const history = await http(url, "GET", `/api/chats/${group.id}/messages?limit=200`, {
        token: ben.token,
      });
      for (const id of [own.id, bens.id]) {
        const m = history.body.messages.find((x: any) => x.id === id);
        assert.equal(m.status, "deleted");
        assert.equal(m.body, "");
      }
      assert.ok(!JSON.stringify(history.body).includes("secret"));
    },
  );

  await t.test("read position: 204, broadcast, never backwards, members only", async (t) => {
    const chat = await fixture.group(ana, [ben], "reading");
    for (const body of ["a", "b", "c"]) await fixture.post(ana, chat.id, body);
    const anaSocket = await connectSocket(t, url, ana.token);
    const anaHears = nextEvent(anaSocket, "message:read", (e: any) => e.chat_id === chat.id);
    const read = await http(url, "POST", `/api/chats/${chat.id}/read`, {
      token: ben.token,
      body: { seq: 2 },
    });
    assert.equal(read.status, 204);
    const event = await anaHears;
    assert.equal(event.user_id, ben.user.id);
    assert.equal(event.seq, 2);
    assert.ok(!Number.isNaN(Date.parse(event.read_at)));

    const unread = async () =>
      (await http(url, "GET", "/api/chats", { token: ben.token })).body.chats.find(
        (c: any) => c.id === chat.id,
      );
    assert.equal((await unread()).unread_count, 1);
    assert.equal((await unread()).last_read_seq, 2);
    await http(url, "POST", `/api/chats/${chat.id}/read`, { token: ben.token, body: { seq: 1 } });
    assert.equal((await unread()).last_read_seq, 2, "never backwards");
    await http(url, "POST", `/api/chats/${chat.id}/read`, { token: ben.token, body: { seq: 99 } });
    assert.equal((await unread()).last_read_seq, 3, "never past the last message");
    assert.equal((await unread()).unread_count, 0);

    assertError(
      await http(url, "POST", `/api/chats/${chat.id}/read`, { token: eve.token, body: { seq: 1 } }),
      404,
      "NOT_FOUND",
    );
    for (const body of [{ seq: -1 }, { seq: "2" }, { seq: 1.5 }, {}]) {
      assertError(
        await http(url, "POST", `/api/chats/${chat.id}/read`, { token: ben.token, body }),
        400,
        "VALIDATION_ERROR",
      );
    }
  });
});
