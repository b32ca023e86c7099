/**
 * Hostile HTTP input: wrong types, missing fields, extra nesting, unknown properties,
 * __proto__ / constructor keys, non-object bodies, invalid JSON, oversize bodies. Each is
 * answered with its exact error code in the one error shape, and the server keeps serving.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";

test("hostile HTTP input gets a clear error and the server keeps serving", async (t) => {
  const { url, group, users } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  const chat = await group(ana, [ben], "hostile");
  const path = `/api/chats/${chat.id}/messages`;
  let valid = 0;

  /** Sends a hostile request, checks its answer, then checks a valid request still works. */
  async function expect(
    why: string,
    request: {
      method?: string;
      path?: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
    },
    status: number,
    code: string,
  ) {
    const result = await http(url, request.method ?? "POST", request.path ?? path, {
      token: ana.token,
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.rawBody !== undefined ? { rawBody: request.rawBody } : {}),
      ...(request.headers ? { headers: request.headers } : {}),
    });
    assert.equal(result.status, status, `${why}: ${JSON.stringify(result.body)}`);
    assert.deepEqual(Object.keys(result.body), ["error"], why);
    assert.equal(result.body.error.code, code, why);
    assert.equal(typeof result.body.error.message, "string", why);
    assert.ok(
      !/at \w+ \(|node_modules|\.ts:\d/.test(JSON.stringify(result.body)),
      `${why}: leaks a stack`,
    );
    valid += 1;
    const ok = await http(url, "POST", path, { token: ana.token, body: { body: `ok ${valid}` } });
    assert.equal(ok.status, 201, `after ${why}: ${JSON.stringify(ok.body)}`);
  }

  await t.test("wrong types and missing fields", async () => {
    await expect("body is a number", { body: { body: 42 } }, 400, "VALIDATION_ERROR");
    await expect("body is null", { body: { body: null } }, 400, "VALIDATION_ERROR");
    await expect("body is an array", { body: { body: ["hi"] } }, 400, "VALIDATION_ERROR");
    await expect("body is missing", { body: { client_msg_id: "x" } }, 400, "VALIDATION_ERROR");
    await expect(
      "client_msg_id is a number",
      { body: { body: "hi", client_msg_id: 7 } },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "client_msg_id is empty",
      { body: { body: "hi", client_msg_id: "" } },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "client_msg_id too long",
      { body: { body: "hi", client_msg_id: "c".repeat(101) } },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "seq as a string",
      { path: `/api/chats/${chat.id}/read`, body: { seq: "1" } },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "username as an object",
      { path: "/api/auth/login", body: { username: { $ne: null }, password: "whatever12" } },
      400,
      "VALIDATION_ERROR",
    );
  });

  await t.test("extra nesting and unknown properties", async () => {
    await expect("body nested", { body: { body: { text: "hi" } } }, 400, "VALIDATION_ERROR");
    await expect(
      "deep nesting",
      { body: { body: "hi", meta: { a: { b: { c: [1, [2, [3]]] } } } } },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "unknown property",
      { body: { body: "hi", sender_id: ben.user.id } },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "member_ids of objects",
      { path: "/api/chats", body: { type: "group", member_ids: [{ id: ben.user.id }] } },
      400,
      "VALIDATION_ERROR",
    );
  });

  await t.test("__proto__ and constructor keys", async () => {
    await expect(
      "__proto__",
      { rawBody: '{"body":"hi","__proto__":{"admin":true}}' },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "constructor.prototype",
      { rawBody: '{"body":"hi","constructor":{"prototype":{"admin":true}}}' },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "__proto__ in login",
      {
        path: "/api/auth/login",
        rawBody: '{"__proto__":{"username":"x"},"password":"whatever12"}',
      },
      400,
      "VALIDATION_ERROR",
    );
    assert.equal(({} as any).admin, undefined, "nothing was polluted");
  });

  await t.test("non-object bodies, invalid JSON, wrong content type", async () => {
    await expect("a string", { body: "hello" }, 400, "VALIDATION_ERROR");
    await expect("a number", { body: 42 }, 400, "VALIDATION_ERROR");
    await expect("null", { body: null }, 400, "VALIDATION_ERROR");
    await expect("an array", { body: [{ body: "hi" }] }, 400, "VALIDATION_ERROR");
    await expect("true", { body: true }, 400, "VALIDATION_ERROR");
    await expect("no body", { rawBody: "" }, 400, "VALIDATION_ERROR");
    await expect("invalid JSON", { rawBody: '{"body": "hi"' }, 400, "VALIDATION_ERROR");
    await expect("single quotes", { rawBody: "{'body': 'hi'}" }, 400, "VALIDATION_ERROR");
    await expect(
      "text/plain",
      { rawBody: "hi", headers: { "content-type": "text/plain" } },
      400,
      "VALIDATION_ERROR",
    );
  });

  await t.test("whitespace-only and oversize bodies", async () => {
    await expect("whitespace only", { body: { body: " \n\t  " } }, 400, "VALIDATION_ERROR");
    await expect("4001 characters", { body: { body: "x".repeat(4001) } }, 400, "VALIDATION_ERROR");
    await expect("NUL character", { body: { body: "a\u0000b" } }, 400, "VALIDATION_ERROR");
    // Over 64 KB of JSON: refused before it is parsed.
    await expect("70 KB body", { body: { body: "x".repeat(70 * 1024) } }, 413, "PAYLOAD_TOO_LARGE");
    await expect("70 KB of garbage", { rawBody: "[".repeat(70 * 1024) }, 413, "PAYLOAD_TOO_LARGE");
  });

  await t.test(
    "seq cursors beyond 32-bit integers (within the protocol) are answered",
    async () => {
      const far = await http(url, "GET", `${path}?before_seq=3000000000&limit=1`, {
        token: ana.token,
      });
      assert.equal(far.status, 200);
      assert.equal(far.body.messages.length, 1);
      const readFar = await http(url, "POST", `/api/chats/${chat.id}/read`, {
        token: ana.token,
        body: { seq: 2 ** 53 - 1 },
      });
      assert.equal(readFar.status, 204);
    },
  );

  await t.test("hostile ids and queries", async () => {
    await expect(
      "id not a uuid",
      { path: "/api/chats/../../etc/passwd/messages", body: { body: "hi" } },
      404,
      "NOT_FOUND",
    );
    await expect(
      "id with SQL",
      { path: `/api/chats/'%20OR%201=1--/messages`, body: { body: "hi" } },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "limit huge",
      { method: "GET", path: `${path}?limit=1e309` },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "limit repeated",
      { method: "GET", path: `${path}?limit=1&limit=2` },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "before_seq beyond 2^53",
      { method: "GET", path: `${path}?before_seq=99999999999999999999` },
      400,
      "VALIDATION_ERROR",
    );
    await expect(
      "unknown query parameter",
      { method: "GET", path: `${path}?evil=1` },
      400,
      "VALIDATION_ERROR",
    );
  });
});
