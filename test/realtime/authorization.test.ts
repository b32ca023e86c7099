/**
 * Authorization on every socket event: the sender is the token's user, only members read or
 * write a chat, only the sender edits, the sender or the group's owner deletes, and nobody
 * receives events of a chat they are not in.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { emitWithAck, http, nextEvent, received, settle } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("socket authorization", async (t) => {
  const fixture = await chatFixture(t, ["owner", "member", "outsider"]);
  const [owner, member, outsider] = fixture.users;
  const { url, connect } = fixture;
  const group = await fixture.group(owner, [member], "private group");
  const direct = await fixture.direct(owner, member);
  const ownerSocket = await connect(owner);
  const memberSocket = await connect(member);
  const outsiderSocket = await connect(outsider);
  const history = async (chatId: string) =>
    (await http(url, "GET", `/api/chats/${chatId}/messages`, { token: owner.token })).body.messages;

  const code = (ack: any) => (ack.ok ? "ok" : ack.error.code);

  await t.test("sender_id of someone else is FORBIDDEN and stores nothing", async () => {
    const ack = await emitWithAck(memberSocket, "message:send", {
      chat_id: group.id,
      sender_id: owner.user.id,
      body: "I am the owner",
    });
    assert.equal(code(ack), "FORBIDDEN");
    assert.deepEqual(await history(group.id), []);
    // Its own id is fine.
    const own = await emitWithAck(memberSocket, "message:send", {
      chat_id: group.id,
      sender_id: member.user.id,
      body: "I am the member",
    });
    assert.equal(own.message.sender_id, member.user.id);
  });

  await t.test("a non-member's send, typing and read of a chat are NOT_FOUND", async () => {
    const before = await history(group.id);
    for (const [event, payload] of [
      ["message:send", { chat_id: group.id, body: "let me in" }],
      ["message:send", { chat_id: group.id, sender_id: outsider.user.id, body: "please" }],
      ["typing", { chat_id: group.id, typing: true }],
      ["message:read", { chat_id: group.id, seq: 1 }],
      ["message:send", { chat_id: randomUUID(), body: "nowhere" }],
    ] as const) {
      assert.equal(code(await emitWithAck(outsiderSocket, event, payload)), "NOT_FOUND", event);
    }
    assert.deepEqual(await history(group.id), before);
  });

  await t.test("editing: only the sender; others FORBIDDEN, outsiders NOT_FOUND", async () => {
    const { message } = await emitWithAck(memberSocket, "message:send", {
      chat_id: group.id,
      body: "member's words",
    });
    assert.equal(
      code(await emitWithAck(ownerSocket, "message:update", { id: message.id, body: "owner's" })),
      "FORBIDDEN",
    );
    assert.equal(
      code(await emitWithAck(outsiderSocket, "message:update", { id: message.id, body: "x" })),
      "NOT_FOUND",
    );
    assert.equal(
      code(await emitWithAck(outsiderSocket, "message:delete", { id: message.id })),
      "NOT_FOUND",
    );
    const stored = (await history(group.id)).find((m: any) => m.id === message.id);
    assert.equal(stored.body, "member's words");
    assert.equal(stored.status, "sent");
  });

  await t.test(
    "deleting: the sender, or the group's owner; not a member, not in direct chats",
    async () => {
      const byMember = await emitWithAck(memberSocket, "message:send", {
        chat_id: group.id,
        body: "to be moderated",
      });
      const byOwner = await emitWithAck(ownerSocket, "message:send", {
        chat_id: group.id,
        body: "owner's own",
      });
      assert.equal(
        code(await emitWithAck(memberSocket, "message:delete", { id: byOwner.message.id })),
        "FORBIDDEN",
      );
      const memberSees = nextEvent(
        memberSocket,
        "message:delete",
        (e: any) => e.id === byMember.message.id,
      );
      assert.deepEqual(
        await emitWithAck(ownerSocket, "message:delete", { id: byMember.message.id }),
        {
          ok: true,
          id: byMember.message.id,
        },
      );
      await memberSees;

      const inDirect = await emitWithAck(memberSocket, "message:send", {
        chat_id: direct.id,
        body: "direct",
      });
      assert.equal(
        code(await emitWithAck(ownerSocket, "message:delete", { id: inDirect.message.id })),
        "FORBIDDEN",
      );
      assert.equal(
        code(await emitWithAck(memberSocket, "message:delete", { id: inDirect.message.id })),
        "ok",
      );
    },
  );

  await t.test("a non-member receives nothing of the chat", async () => {
    // One more of every kind, then check the outsider's whole record.
    const sent = await emitWithAck(ownerSocket, "message:send", {
      chat_id: group.id,
      body: "last",
    });
    await emitWithAck(ownerSocket, "message:update", { id: sent.message.id, body: "last!" });
    await emitWithAck(memberSocket, "typing", { chat_id: group.id, typing: true });
    await emitWithAck(memberSocket, "message:read", { chat_id: group.id, seq: sent.message.seq });
    await emitWithAck(ownerSocket, "message:delete", { id: sent.message.id });
    await settle(outsiderSocket);
    const leaked = received(outsiderSocket).filter(
      (e) =>
        e.event.startsWith("message:") ||
        e.event === "typing" ||
        e.event.startsWith("chat:") ||
        (e.event !== "error" && JSON.stringify(e.payload).includes(group.id)),
    );
    assert.deepEqual(leaked, []);
    // The members did get them.
    await settle(memberSocket);
    const memberEvents = new Set(received(memberSocket).map((e) => e.event));
    for (const event of ["message:send", "message:update", "message:delete", "message:read"]) {
      assert.ok(memberEvents.has(event), event);
    }
  });
});
