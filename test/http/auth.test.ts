/**
 * POST /api/auth/register, /login, /logout and GET /api/users/me: account rules, the same
 * 401 for an unknown user and a wrong password, login rate limit, token expiry and logout.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { connectSocket, eventually, http, registerUser, uniqueName } from "../support/clients.ts";
import { startServer, testConfig } from "../support/server.ts";

const PASSWORD = "correct-horse-battery";

function assertError(result: { status: number; body: any }, status: number, code: string) {
  assert.equal(result.status, status, JSON.stringify(result.body));
  assert.equal(result.body?.error?.code, code, JSON.stringify(result.body));
  assert.equal(typeof result.body.error.message, "string");
  assert.ok(result.body.error.message.length > 0);
}

test("accounts and tokens over HTTP", async (t) => {
  const base = testConfig().rateLimits!;
  const { url, app } = await startServer(t, {
    rateLimits: { ...base, loginAttempts: 3, loginWindowSeconds: 60 },
  });

  await t.test("register: 201 with user, token and expiry", async () => {
    const before = Date.now();
    const result = await http(url, "POST", "/api/auth/register", {
      body: { username: "Marta.Lopez-1_", password: PASSWORD },
    });
    assert.equal(result.status, 201);
    const { user, token, expires_at } = result.body;
    assert.deepEqual(Object.keys(user).sort(), [
      "avatar_url",
      "bot",
      "created_at",
      "display_name",
      "id",
      "role",
      "username",
    ]);
    assert.match(user.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(user.username, "Marta.Lopez-1_");
    assert.match(user.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(typeof token, "string");
    assert.ok(!JSON.stringify(result.body).includes("password"), "no hash in the answer");
    const expires = Date.parse(expires_at);
    // Default TOKEN_TTL_SECONDS is a day.
    assert.ok(Math.abs(expires - before - 86_400_000) < 60_000, expires_at);

    const me = await http(url, "GET", "/api/users/me", { token });
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, user);
    const stored = await app.store.users.findByUsername("marta.lopez-1_");
    assert.match(stored?.password_hash ?? "", /^\$argon2id\$/, "argon2id hash");
    assert.ok(!stored?.password_hash.includes(PASSWORD));
  });

  await t.test("register: usernames are unique regardless of case (409)", async () => {
    const name = uniqueName("Case");
    await registerUser(url, name);
    assertError(
      await http(url, "POST", "/api/auth/register", {
        body: { username: name.toLowerCase(), password: PASSWORD },
      }),
      409,
      "CONFLICT",
    );
    assertError(
      await http(url, "POST", "/api/auth/register", {
        body: { username: name.toUpperCase(), password: PASSWORD },
      }),
      409,
      "CONFLICT",
    );
  });

  await t.test("register: username and password rules (400 VALIDATION_ERROR)", async () => {
    const bad: Array<[string, unknown, unknown]> = [
      ["too short", "ab", PASSWORD],
      ["too long", "a".repeat(33), PASSWORD],
      ["space", "ana maria", PASSWORD],
      ["accent", "maría", PASSWORD],
      ["at sign", "ana@x", PASSWORD],
      ["slash", "ana/x", PASSWORD],
      ["empty", "", PASSWORD],
      ["number", 12345, PASSWORD],
      ["short password", uniqueName(), "1234567"],
      ["long password", uniqueName(), "x".repeat(257)],
      ["password number", uniqueName(), 12345678],
      ["missing password", uniqueName(), undefined],
    ];
    for (const [why, username, password] of bad) {
      const result = await http(url, "POST", "/api/auth/register", {
        body: { username, password },
      });
      assert.equal(result.status, 400, `${why}: ${JSON.stringify(result.body)}`);
      assert.equal(result.body.error.code, "VALIDATION_ERROR", why);
    }
    // The edges are allowed: 3 and 32 characters, 8 and 256-character passwords.
    for (const [username, password] of [
      [`a${uniqueName("").slice(1, 3)}`, "x".repeat(8)],
      [uniqueName("edge").padEnd(32, "z"), "y".repeat(256)],
    ] as const) {
      const result = await http(url, "POST", "/api/auth/register", {
        body: { username, password },
      });
      assert.equal(result.status, 201, `${username}: ${JSON.stringify(result.body)}`);
      const login = await http(url, "POST", "/api/auth/login", { body: { username, password } });
      assert.equal(login.status, 200);
    }
  });

  await t.test("login: 200 with a fresh token; any case of the username", async () => {
    const name = uniqueName("Login");
    const registered = await registerUser(url, name);
    const result = await http(url, "POST", "/api/auth/login", {
      body: { username: name.toUpperCase(), password: PASSWORD },
    });
    assert.equal(result.status, 200);
    assert.deepEqual(result.body.user, registered.user);
    const me = await http(url, "GET", "/api/users/me", { token: result.body.token });
    assert.equal(me.body.id, registered.user.id);
  });

  await t.test("login: the same 401 for an unknown user and a wrong password", async () => {
    const name = uniqueName("victim");
    await registerUser(url, name);
    const wrong = await http(url, "POST", "/api/auth/login", {
      body: { username: name, password: "not-the-password" },
    });
    const unknown = await http(url, "POST", "/api/auth/login", {
      body: { username: uniqueName("nobody"), password: "not-the-password" },
    });
    assertError(wrong, 401, "UNAUTHORIZED");
    assertError(unknown, 401, "UNAUTHORIZED");
    assert.deepEqual(wrong.body, unknown.body);
  });

  await t.test("login: attempts are rate limited per username (429 RATE_LIMITED)", async () => {
    const name = uniqueName("guessed");
    await registerUser(url, name);
    for (let i = 0; i < 3; i++) {
      const result = await http(url, "POST", "/api/auth/login", {
        body: { username: name, password: `guess-number-${i}` },
      });
      assert.equal(result.status, 401);
    }
    const limited = await http(url, "POST", "/api/auth/login", {
      body: { username: name, password: PASSWORD },
    });
    assertError(limited, 429, "RATE_LIMITED");
    // Another account is not affected.
    const other = await registerUser(url);
    const ok = await http(url, "POST", "/api/auth/login", {
      body: { username: other.user.username, password: PASSWORD },
    });
    assert.equal(ok.status, 200);
  });

  await t.test("users/me needs a valid token (401 UNAUTHORIZED)", async () => {
    assertError(await http(url, "GET", "/api/users/me"), 401, "UNAUTHORIZED");
    assertError(
      await http(url, "GET", "/api/users/me", { token: "nonsense" }),
      401,
      "UNAUTHORIZED",
    );
    const someone = await registerUser(url);
    // A token signed with another key.
    const [head, payload] = someone.token.split(".");
    const forged = `${head}.${payload}.${"A".repeat(43)}`;
    assertError(await http(url, "GET", "/api/users/me", { token: forged }), 401, "UNAUTHORIZED");
    // An unsigned token ("alg": "none") claiming to be that user.
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    assertError(
      await http(url, "GET", "/api/users/me", { token: `${none}.${payload}.` }),
      401,
      "UNAUTHORIZED",
    );
    assertError(
      await http(url, "GET", "/api/users/me", { headers: { authorization: someone.token } }),
      401,
      "UNAUTHORIZED",
    );
  });

  await t.test("logout: every token of the user stops working, sockets end", async (t) => {
    const someone = await registerUser(url);
    const second = await http(url, "POST", "/api/auth/login", {
      body: { username: someone.user.username, password: PASSWORD },
    });
    const socket = await connectSocket(t, url, someone.token);
    const result = await http(url, "POST", "/api/auth/logout", { token: someone.token });
    assert.equal(result.status, 204);
    assertError(
      await http(url, "GET", "/api/users/me", { token: someone.token }),
      401,
      "UNAUTHORIZED",
    );
    assertError(
      await http(url, "GET", "/api/users/me", { token: second.body.token }),
      401,
      "UNAUTHORIZED",
    );
    await eventually(() => assert.equal(socket.connected, false));
    // Logging in again works.
    const again = await http(url, "POST", "/api/auth/login", {
      body: { username: someone.user.username, password: PASSWORD },
    });
    assert.equal(again.status, 200);
    assert.equal(
      (await http(url, "GET", "/api/users/me", { token: again.body.token })).status,
      200,
    );
  });
});

test("an expired token is refused (401)", async (t) => {
  const { url } = await startServer(t, { tokenTtlSeconds: 3 });
  const someone = await registerUser(url);
  const issued = Date.now();
  const me = await http(url, "GET", "/api/users/me", { token: someone.token });
  // Only meaningful while the token is still young; under heavy load it may already be old.
  if (Date.now() - issued < 2000) assert.equal(me.status, 200);
  await eventually(
    async () => {
      const result = await http(url, "GET", "/api/users/me", { token: someone.token });
      assertError(result, 401, "UNAUTHORIZED");
      assert.match(result.body.error.message, /expired/);
    },
    8000,
    250,
  );
});
