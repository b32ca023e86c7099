/**
 * Handshake races, each reproduced by holding the handshake right after its database read
 * (the `afterHandshakeRead` seam) while something is committed: a logout, a member removed,
 * a member added, a token expiring. The connection ends up consistent with every change
 * committed before it was accepted, and a socket that ends leaves no presence or metric.
 */
import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import { decodeJwt, SignJWT } from "jose";
import { createApp } from "../../src/server/app.ts";
import type { Config } from "../../src/server/config.ts";
import {
  connectSocket,
  emitWithAck,
  eventually,
  http,
  nextEvent,
  received,
  registerUser,
  settle,
  type TestSocket,
  type TestUser,
} from "../support/clients.ts";
import { TEST_JWT_SECRET, testConfig } from "../support/server.ts";

/** A server whose handshakes of `held` users wait, after their read, until released. */
async function serverWithHeldHandshakes(t: TestContext, overrides: Partial<Config> = {}) {
  const held = new Map<string, { reached: () => void; release: Promise<void> }>();
  const app = await createApp(testConfig(overrides), {
    testHooks: {
      afterHandshakeRead: async (userId) => {
        const hold = held.get(userId);
        if (!hold) return;
        held.delete(userId);
        hold.reached();
        await hold.release;
      },
    },
  });
  t.after(() => app.close());
  const url = await app.listen();
  /** Connects `user`, runs `during` while the handshake is held after its read. */
  async function connectDuring(
    user: TestUser,
    during: () => Promise<void>,
  ): Promise<{ socket: Promise<TestSocket> }> {
    let reached!: () => void;
    let release!: () => void;
    const atRead = new Promise<void>((resolve) => (reached = resolve));
    held.set(user.user.id, {
      reached,
      release: new Promise<void>((resolve) => (release = resolve)),
    });
    const socket = connectSocket(t, url, user.token);
    await atRead;
    await during();
    release();
    return { socket };
  }
  return { app, url, connectDuring };
}

const post = (url: string, user: TestUser, chatId: string, body: string) =>
  http(url, "POST", `/api/chats/${chatId}/messages`, { token: user.token, body: { body } });

test("a logout committed during the handshake ends the socket", async (t) => {
  const { url, connectDuring } = await serverWithHeldHandshakes(t);
  const ana = await registerUser(url);
  const ben = await registerUser(url);
  const chat = (
    await http(url, "POST", "/api/chats", {
      token: ana.token,
      body: { type: "direct", member_ids: [ben.user.id] },
    })
  ).body;
  const { socket } = await connectDuring(ana, async () => {
    assert.equal((await http(url, "POST", "/api/auth/logout", { token: ana.token })).status, 204);
  });
  const connected = await socket.catch(() => undefined);
  if (connected) {
    // Accepted before the re-check: it cannot act, and it is ended.
    const ack = await emitWithAck(connected, "message:send", { chat_id: chat.id, body: "x" }).catch(
      () => ({ ok: false, error: { code: "DISCONNECTED" } }),
    );
    assert.equal(ack.ok, false);
    await eventually(() => assert.equal(connected.connected, false));
  }
  const history = await http(url, "GET", `/api/chats/${chat.id}/messages`, { token: ben.token });
  assert.deepEqual(history.body.messages, [], "nothing was sent with the revoked token");
});

test("membership changed during the handshake: the rooms follow", async (t) => {
  const { url, connectDuring } = await serverWithHeldHandshakes(t);
  const [ana, ben, eve] = await Promise.all([
    registerUser(url),
    registerUser(url),
    registerUser(url),
  ]);
  const group = async (members: TestUser[]) =>
    (
      await http(url, "POST", "/api/chats", {
        token: ana.token,
        body: { type: "group", name: "g", member_ids: members.map((m) => m.user.id) },
      })
    ).body;
  const leaving = await group([ben, eve]);
  const joining = await group([eve]);
  const eveSocket = await connectSocket(t, url, eve.token);

  const { socket } = await connectDuring(ben, async () => {
    const removed = await http(url, "DELETE", `/api/chats/${leaving.id}/members/${ben.user.id}`, {
      token: ana.token,
    });
    assert.equal(removed.status, 204);
    const added = await http(url, "POST", `/api/chats/${joining.id}/members`, {
      token: ana.token,
      body: { user_id: ben.user.id },
    });
    assert.equal(added.status, 201);
  });
  const benSocket = await socket;
  // A command waits for the re-check: after its answer the rooms are settled.
  await settle(benSocket);

  const benGets = nextEvent(benSocket, "message:send", (m: any) => m.chat_id === joining.id);
  const eveGets = nextEvent(eveSocket, "message:send", (m: any) => m.chat_id === leaving.id);
  const secret = await post(url, ana, leaving.id, "after ben left");
  const welcome = await post(url, ana, joining.id, "welcome ben");
  assert.equal((await benGets).id, welcome.body.id, "the chat ben was added to reaches him");
  await eveGets;
  await settle(benSocket);
  assert.ok(
    !received(benSocket).some((e) => e.payload?.id === secret.body.id),
    "the chat ben was removed from does not",
  );
});

test("a token expiring during the handshake leaves no ghost", async (t) => {
  const { url, connectDuring } = await serverWithHeldHandshakes(t);
  const [ana, ben] = await Promise.all([registerUser(url), registerUser(url)]);
  await http(url, "POST", "/api/chats", {
    token: ana.token,
    body: { type: "direct", member_ids: [ben.user.id] },
  });
  // ana's token, re-signed to expire in a second (the server's own claims, a shorter life).
  const claims = decodeJwt(ana.token);
  const expiresAt = Math.floor(Date.now() / 1000) + 1;
  const shortLived = await new SignJWT({ ...claims, exp: expiresAt })
    .setProtectedHeader({ alg: "HS256" })
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
  const connectedGauge = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(text.match(/^charla_sockets_connected (\d+)/m)?.[1] ?? NaN);
  };
  const { socket } = await connectDuring({ ...ana, token: shortLived }, async () => {
    // Held until the token has expired (the seam waits on a condition, not a sleep).
    await eventually(() => assert.ok(Date.now() / 1000 > expiresAt + 1), 5000, 50);
  });
  const anaSocket = await socket.catch(() => undefined);
  if (anaSocket) await eventually(() => assert.equal(anaSocket.connected, false));
  await eventually(async () => assert.equal(await connectedGauge(), 0));
  const search = await http(url, "GET", `/api/users?q=${ana.user.username}`, {
    token: ben.token,
  });
  assert.equal(search.status, 200);
  const found = search.body.users.find((u: { id: string }) => u.id === ana.user.id);
  assert.equal(found?.online, false, "ana is not a ghost in presence");
});
