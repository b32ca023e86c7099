/**
 * Ids as the contract says: a UUID in its canonical 36-character form is accepted in any
 * letter case and used in lower case everywhere (answers, rooms); `urn:uuid:`, braces and
 * no hyphens are VALIDATION_ERROR, over HTTP and on the socket, before anything is written.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { emitWithAck, http, nextEvent, received, settle } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

const variants = (id: string) => ({
  urn: `urn:uuid:${id}`,
  braces: `{${id}}`,
  noHyphens: id.replaceAll("-", ""),
});

test("ids: canonical form in any case, lower case inside; other forms refused", async (t) => {
  const { url, users, group, connect } = await chatFixture(t, ["ana", "ben", "eve"]);
  const [ana, ben, eve] = users;
  const chat = await group(ana, [ben], "ids");

  await t.test("urn:uuid:, braces and no hyphens: VALIDATION_ERROR everywhere", async () => {
    for (const [form, id] of Object.entries(variants(chat.id))) {
      const post = await http(url, "POST", `/api/chats/${encodeURIComponent(id)}/messages`, {
        token: ana.token,
        body: { body: "p" },
      });
      assert.equal(post.status, 400, `${form}: ${JSON.stringify(post.body)}`);
      assert.equal(post.body.error.code, "VALIDATION_ERROR", form);
      const member = await http(url, "POST", `/api/chats/${chat.id}/members`, {
        token: ana.token,
        body: { user_id: variants(eve.user.id)[form as keyof ReturnType<typeof variants>] },
      });
      assert.equal(member.status, 400, `${form} in a body`);
      assert.equal(member.body.error.code, "VALIDATION_ERROR");
    }
    const socket = await connect(ana);
    const ack = await emitWithAck(socket, "message:send", {
      chat_id: `urn:uuid:${chat.id}`,
      body: "p",
    });
    assert.equal(ack.ok, false);
    assert.equal(ack.error.code, "VALIDATION_ERROR");
    const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ana.token });
    assert.deepEqual(history.body.messages, [], "nothing was stored");
  });

  await t.test("upper case is the same id, answered in lower case", async () => {
    const upper = chat.id.toUpperCase();
    const got = await http(url, "GET", `/api/chats/${upper}`, { token: ana.token });
    assert.equal(got.status, 200);
    assert.equal(got.body.id, chat.id);
    const posted = await http(url, "POST", `/api/chats/${upper}/messages`, {
      token: ana.token,
      body: { body: "upper" },
    });
    assert.equal(posted.status, 201);
    assert.equal(posted.body.chat_id, chat.id);
    const socket = await connect(ben);
    const ack = await emitWithAck(socket, "message:send", { chat_id: upper, body: "UP" });
    assert.equal(ack.ok, true, JSON.stringify(ack));
    assert.equal(ack.message.chat_id, chat.id);
    const twice = await http(url, "POST", "/api/chats", {
      token: eve.token,
      body: { type: "group", member_ids: [ana.user.id.toUpperCase(), ana.user.id] },
    });
    assert.equal(twice.status, 400, "the same id in two cases is a repeated item");
    const created = await http(url, "POST", "/api/chats", {
      token: eve.token,
      body: { type: "group", member_ids: [ana.user.id.toUpperCase()] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      created.body.members.map((m: { user_id: string }) => m.user_id).sort(),
      [ana.user.id, eve.user.id].sort(),
    );
  });

  await t.test("a member removed by an upper-case id stops receiving the chat", async () => {
    const room = await group(ana, [ben, eve], "removal");
    const [anaSocket, benSocket] = await Promise.all([connect(ana), connect(ben)]);
    const removed = await http(
      url,
      "DELETE",
      `/api/chats/${room.id}/members/${ben.user.id.toUpperCase()}`,
      { token: ana.token },
    );
    assert.equal(removed.status, 204);
    const anaGets = nextEvent(anaSocket, "message:send", (m: any) => m.chat_id === room.id);
    const sent = await http(url, "POST", `/api/chats/${room.id}/messages`, {
      token: eve.token,
      body: { body: "after ben left" },
    });
    assert.equal(sent.status, 201);
    await anaGets;
    await settle(benSocket);
    assert.ok(
      !received(benSocket).some(
        (e) => e.event === "message:send" && e.payload?.id === sent.body.id,
      ),
      "ben's socket still receives the chat",
    );
  });
});
