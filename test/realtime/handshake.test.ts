/**
 * The socket handshake: a token in auth.token, an Authorization header or the x-token query
 * lets a socket in; a missing, bad, expired or revoked one is refused with connect_error
 * "UNAUTHORIZED"; a foreign Origin is refused unless CORS_ORIGINS lists it; a token that
 * expires while connected ends the connection.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  connectError,
  connectSocket,
  emitWithAck,
  eventually,
  firstEvent,
  http,
  received,
  registerUser,
} from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { startServer } from "../support/server.ts";

test("handshake authentication", async (t) => {
  const { url, register, users } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;

  await t.test(
    "auth.token, Authorization: Bearer and the x-token query are accepted",
    async (t) => {
      for (const options of [
        { auth: { token: ana.token } },
        { auth: {}, extraHeaders: { authorization: `Bearer ${ana.token}` } },
        { auth: {}, query: { "x-token": ana.token } },
      ]) {
        const socket = await connectSocket(t, url, undefined, options);
        // The socket acts as ana: users:list arrives, and commands are answered.
        const list = await firstEvent(socket, "users:list");
        assert.ok(list.users.some((u: any) => u.user_id === ana.user.id));
        const ack = await emitWithAck(socket, "user:connected", {
          user_id: ana.user.id,
          username: ana.user.username,
        });
        assert.deepEqual(ack, { ok: true });
        socket.disconnect();
      }
    },
  );

  await t.test(
    "missing, malformed, forged and revoked tokens: connect_error UNAUTHORIZED",
    async (t) => {
      const [head, payload] = ben.token.split(".");
      const refused = [
        {},
        { auth: {} },
        { auth: { token: "" } },
        { auth: { token: "not.a.jwt" } },
        { auth: { token: 12345 } },
        { auth: { token: { nested: ana.token } } },
        { auth: { token: `${head}.${payload}.${"A".repeat(43)}` } },
        { auth: { token: "x".repeat(5000) } },
        { auth: {}, extraHeaders: { authorization: `Basic ${ana.token}` } },
        { auth: {}, query: { "x-token": "nonsense" } },
      ];
      for (const options of refused) {
        const error = await connectError(t, url, options as any);
        assert.equal(error.message, "UNAUTHORIZED", JSON.stringify(options).slice(0, 80));
        assert.equal((error.data as any)?.code, "UNAUTHORIZED");
      }

      // Logged out: the token is revoked everywhere.
      const carl = await register();
      assert.equal(
        (await http(url, "POST", "/api/auth/logout", { token: carl.token })).status,
        204,
      );
      const error = await connectError(t, url, { auth: { token: carl.token } });
      assert.equal(error.message, "UNAUTHORIZED");
    },
  );

  await t.test("a foreign Origin is refused; the same origin and scripts are let in", async (t) => {
    const foreign = await connectError(t, url, {
      auth: { token: ana.token },
      extraHeaders: { origin: "https://evil.example" },
    });
    assert.ok(foreign instanceof Error);
    const same = await connectSocket(t, url, ana.token, {
      extraHeaders: { origin: url },
    });
    assert.equal(same.connected, true);
    // Long polling is refused as well.
    const polling = await connectError(t, url, {
      auth: { token: ana.token },
      transports: ["polling"],
      extraHeaders: { origin: "https://evil.example" },
    });
    assert.ok(polling instanceof Error);
    assert.equal((await http(url, "GET", "/healthz")).status, 200, "the server keeps serving");
    // HTTP gives a foreign origin no CORS permission either.
    const preflight = await fetch(`${url}/api/chats`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.headers.get("access-control-allow-origin"), null);
  });
});

test("CORS_ORIGINS lets a listed origin in, and only it", async (t) => {
  const { url } = await startServer(t, { corsOrigins: ["https://chat.example.com"] });
  const ana = await registerUser(url);
  const allowed = await connectSocket(t, url, ana.token, {
    extraHeaders: { origin: "https://chat.example.com" },
  });
  assert.equal(allowed.connected, true);
  const other = await connectError(t, url, {
    auth: { token: ana.token },
    extraHeaders: { origin: "https://other.example.com" },
  });
  assert.ok(other instanceof Error);
  // HTTP CORS answers the listed origin too.
  const preflight = await fetch(`${url}/api/chats`, {
    method: "OPTIONS",
    headers: {
      origin: "https://chat.example.com",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type",
    },
  });
  assert.ok(preflight.status < 300, String(preflight.status));
  assert.equal(preflight.headers.get("access-control-allow-origin"), "https://chat.example.com");
});

test("expired tokens: refused at the handshake, and a live socket is ended", async (t) => {
  const { url } = await startServer(t, { tokenTtlSeconds: 4 });
  const ana = await registerUser(url);
  const socket = await connectSocket(t, url, ana.token);
  const connectedAt = Date.now();
  await eventually(() => assert.equal(socket.connected, false), 15_000, 100);
  assert.ok(Date.now() - connectedAt < 10_000);
  const notice = received(socket).find((e) => e.event === "error");
  assert.deepEqual(notice?.payload, {
    event: "auth",
    code: "UNAUTHORIZED",
    message: "The token has expired.",
  });
  const error = await connectError(t, url, { auth: { token: ana.token } });
  assert.equal(error.message, "UNAUTHORIZED");
});
