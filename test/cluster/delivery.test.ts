/**
 * Three nodes, one service: every change made on one node reaches the sockets on the others
 * (messages, edits, deletes, typing, receipts, membership, logout), a retried send stores one
 * row whichever nodes it reaches, and a client that reconnects elsewhere catches up exactly.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import {
  connectSocket,
  createChat,
  emitWithAck,
  eventually,
  http,
  received,
  registerUser,
  type TestSocket,
} from "../support/clients.ts";
import { clusterEnvOrSkip, startNodes } from "./support.ts";

const events = (socket: TestSocket, name: string) =>
  received(socket)
    .filter((e) => e.event === name)
    .map((e) => e.payload);

/** Waits until `socket` has an event `name` matching `match`. */
function waitFor(socket: TestSocket, name: string, match: (payload: any) => boolean, ms = 5000) {
  return eventually(() => {
    const found = events(socket, name).find(match);
    assert.ok(found, `no matching "${name}"`);
    return found;
  }, ms);
}

test("three nodes behave as one service", async (t) => {
  const env = await clusterEnvOrSkip(t);
  if (!env) return;
  const [n0, n1, n2] = await startNodes(t, env, 3);
  const urls = [n0!.url, n1!.url, n2!.url];

  const [alice, bob, carol] = await Promise.all(urls.map((url) => registerUser(url)));
  const users = [alice!, bob!, carol!];
  const group = await createChat(urls[0]!, alice!, "group", [bob!, carol!], "everyone");

  // One client per node: alice on n0, bob on n1, carol on n2.
  const sockets = await Promise.all(users.map((u, i) => connectSocket(t, urls[i]!, u.token)));
  const [sa, sb, sc] = sockets as [TestSocket, TestSocket, TestSocket];

  await t.test("a message, its edit and its delete reach every node", async () => {
    const sent = await emitWithAck(sa, "message:send", { chat_id: group.id, body: "hello all" });
    assert.equal(sent.ok, true);
    for (const socket of sockets) {
      await waitFor(socket, "message:send", (m) => m.id === sent.message.id);
    }
    const edited = await emitWithAck(sb, "message:update", { id: sent.message.id, body: "x" });
    assert.equal(edited.ok, false, "only the sender edits");
    const edit = await emitWithAck(sa, "message:update", { id: sent.message.id, body: "hi all" });
    assert.equal(edit.ok, true);
    for (const socket of sockets) {
      await waitFor(
        socket,
        "message:update",
        (m) => m.id === sent.message.id && m.body === "hi all",
      );
    }
    const del = await emitWithAck(sa, "message:delete", { id: sent.message.id });
    assert.equal(del.ok, true);
    for (const socket of sockets) {
      await waitFor(socket, "message:delete", (m) => m.id === sent.message.id);
    }
  });

  await t.test("typing and read receipts cross nodes", async () => {
    assert.equal((await emitWithAck(sc, "typing", { chat_id: group.id, typing: true })).ok, true);
    await waitFor(sa, "typing", (e) => e.user_id === carol!.user.id && e.typing === true);
    await waitFor(sb, "typing", (e) => e.user_id === carol!.user.id && e.typing === true);
    assert.equal(
      events(sc, "typing").some((e) => e.user_id === carol!.user.id),
      false,
      "typing is not echoed to the typist",
    );
    const sent = await emitWithAck(sb, "message:send", { chat_id: group.id, body: "read me" });
    const read = await emitWithAck(sc, "message:read", {
      chat_id: group.id,
      seq: sent.message.seq,
    });
    assert.equal(read.ok, true);
    for (const socket of [sa, sb]) {
      await waitFor(socket, "message:read", (e) => e.user_id === carol!.user.id);
    }
  });

  await t.test("membership changes move sockets on every node", async () => {
    const dave = await registerUser(urls[0]!);
    // dave has two sockets, on two nodes other than the owner's.
    const d1 = await connectSocket(t, urls[1]!, dave.token);
    const d2 = await connectSocket(t, urls[2]!, dave.token);
    const added = await http(urls[0]!, "POST", `/api/chats/${group.id}/members`, {
      token: alice!.token,
      body: { user_id: dave.user.id },
    });
    assert.equal(added.status, 201);
    for (const socket of [d1, d2]) await waitFor(socket, "chat:created", (c) => c.id === group.id);
    await waitFor(sb, "chat:member_added", (e) => e.user_id === dave.user.id);

    const sent = await emitWithAck(sa, "message:send", { chat_id: group.id, body: "welcome" });
    for (const socket of [d1, d2]) {
      await waitFor(socket, "message:send", (m) => m.id === sent.message.id);
    }

    const removed = await http(
      urls[1]!,
      "DELETE",
      `/api/chats/${group.id}/members/${dave.user.id}`,
      {
        token: alice!.token,
      },
    );
    assert.equal(removed.status, 204);
    for (const socket of [d1, d2]) {
      await waitFor(socket, "chat:member_removed", (e) => e.user_id === dave.user.id);
    }
    const after = await emitWithAck(sa, "message:send", { chat_id: group.id, body: "secret" });
    // Everyone still in the chat gets it; once they have, dave's sockets have had their chance.
    for (const socket of sockets) {
      await waitFor(socket, "message:send", (m) => m.id === after.message.id);
    }
    for (const socket of [d1, d2]) {
      assert.equal(
        events(socket, "message:send").some((m) => m.id === after.message.id),
        false,
        "a removed member's sockets stop receiving the chat on every node",
      );
    }
  });

  await t.test("a new chat reaches its members' sockets on other nodes", async () => {
    const direct = await createChat(urls[2]!, carol!, "direct", [bob!]);
    await waitFor(sb, "chat:created", (c) => c.id === direct.id);
    const sent = await emitWithAck(sc, "message:send", { chat_id: direct.id, body: "psst" });
    await waitFor(sb, "message:send", (m) => m.id === sent.message.id);
    assert.equal(
      events(sa, "message:send").some((m) => m.id === sent.message.id),
      false,
    );
  });

  await t.test("the same client_msg_id sent concurrently to two nodes stores one row", async () => {
    for (let round = 0; round < 5; round++) {
      const client_msg_id = randomUUID();
      const payload = { chat_id: group.id, body: `once ${round}`, client_msg_id };
      // alice's second socket is on n1: the same send reaches two nodes at once.
      const other = await connectSocket(t, urls[1]!, alice!.token);
      const [first, second, third] = await Promise.all([
        emitWithAck(sa, "message:send", payload),
        emitWithAck(other, "message:send", payload),
        http(urls[2]!, "POST", `/api/chats/${group.id}/messages`, {
          token: alice!.token,
          body: { body: payload.body, client_msg_id },
        }),
      ]);
      assert.equal(first.ok, true);
      assert.equal(second.ok, true);
      assert.ok([200, 201].includes(third.status));
      assert.equal(first.message.id, second.message.id);
      assert.equal(first.message.id, third.body.id);
      other.disconnect();
      const rows = await n0!.app.store.messages.changesSince(group.id, 0, 1000);
      assert.equal(rows.messages.filter((m) => m.client_msg_id === client_msg_id).length, 1);
      // Broadcast once: bob sees it exactly once.
      await waitFor(sb, "message:send", (m) => m.id === first.message.id);
      assert.equal(events(sb, "message:send").filter((m) => m.id === first.message.id).length, 1);
    }
  });

  await t.test("a client that reconnects to another node catches up exactly once", async () => {
    const state = new Map<string, number>();
    const { chats } = (await emitWithAck(sb, "sync", {})) as {
      chats: Array<{ chat_id: string; messages: Array<{ change_seq: number }> }>;
    };
    for (const chat of chats) state.set(chat.chat_id, chat.messages.at(-1)?.change_seq ?? 0);
    sb.disconnect();

    // While bob is away: sends, an edit and a delete on every node.
    const sent: any[] = [];
    for (let i = 0; i < 9; i++) {
      const socket = [sa, sc][i % 2]!;
      const ack = await emitWithAck(socket, "message:send", { chat_id: group.id, body: `m${i}` });
      assert.equal(ack.ok, true);
      sent.push(ack.message);
    }
    await emitWithAck(sa, "message:update", { id: sent[0].id, body: "m0 edited" });
    await emitWithAck(sc, "message:delete", { id: sent[1].id });

    // bob comes back on n0 (he was on n1) and asks for everything after his cursors.
    const back = await connectSocket(t, urls[0]!, bob!.token);
    const result = await emitWithAck(back, "sync", {
      chats: [...state].map(([chat_id, after_change_seq]) => ({ chat_id, after_change_seq })),
    });
    assert.equal(result.ok, true);
    const caught = result.chats.find((c: any) => c.chat_id === group.id).messages as any[];
    const ids = caught.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length, "each message once");
    assert.deepEqual(
      [...ids].sort(),
      sent.map((m) => m.id).sort(),
      "every missed message, none it had seen",
    );
    const changeSeqs = caught.map((m) => m.change_seq);
    assert.deepEqual(
      changeSeqs,
      [...changeSeqs].sort((a, b) => a - b),
      "in change order",
    );
    const byId = new Map(caught.map((m) => [m.id, m]));
    assert.equal(byId.get(sent[0].id).body, "m0 edited");
    assert.equal(byId.get(sent[1].id).status, "deleted");
    assert.equal(byId.get(sent[1].id).body, "");
  });

  await t.test("logout ends the user's sockets on every node", async () => {
    const erin = await registerUser(urls[0]!);
    const onNodes = await Promise.all(urls.map((url) => connectSocket(t, url, erin.token)));
    const closed = onNodes.map(
      (socket) => new Promise<string>((resolve) => socket.once("disconnect", resolve)),
    );
    const out = await http(urls[1]!, "POST", "/api/auth/logout", { token: erin.token });
    assert.ok([200, 204].includes(out.status), `logout answered ${out.status}`);
    const reasons = await Promise.all(closed);
    assert.deepEqual(reasons, [
      "io server disconnect",
      "io server disconnect",
      "io server disconnect",
    ]);
  });
});
