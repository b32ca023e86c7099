/**
 * The message body rule (1–4000 characters after trimming, counted in characters, not UTF-16
 * units) and the validation messages a client developer sees for a bad payload.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ChatError } from "@charla/protocol/errors";
import { MessageSendPayload } from "@charla/protocol/schemas";
import { normaliseBody } from "../../src/server/domain/messages.ts";
import { validate } from "../../src/server/validation.ts";

const CHAT = "5b1e1f0e-3f5e-4c2a-9d7e-2a8c6e4b1a01";

function refusal(fn: () => unknown): ChatError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ChatError);
    return error;
  }
  assert.fail("expected a ChatError");
}

test("bodies are trimmed and hold 1–4000 characters", () => {
  assert.equal(normaliseBody("  hola \n"), "hola");
  assert.equal(normaliseBody("a\u00a0b"), "a\u00a0b", "inner whitespace is kept");
  assert.equal(normaliseBody("x".repeat(4000)), "x".repeat(4000));
  for (const body of ["", "   ", "\n\t\r ", "\u00a0\u2003", "x".repeat(4001)]) {
    assert.equal(refusal(() => normaliseBody(body)).code, "VALIDATION_ERROR", JSON.stringify(body));
  }
  // Emoji outside the BMP take two UTF-16 units but count as one character.
  assert.equal([...normaliseBody("😀".repeat(4000))].length, 4000);
  assert.equal(refusal(() => normaliseBody("😀".repeat(4001))).code, "VALIDATION_ERROR");
});

test("validation errors say what is wrong, in words", () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ body: "hi" }, /chat_id is required/],
    [{ chat_id: CHAT, body: "hi", admin: true }, /unknown property "admin"/],
    [{ chat_id: "general", body: "hi" }, /chat_id: must match format "uuid"/],
    [{ chat_id: CHAT, body: 5 }, /body: must be string/],
    [{ chat_id: CHAT, body: "a\u0000b" }, /body: must not contain NUL/],
    [{ chat_id: CHAT, body: "hi", status: "deleted" }, /status/],
    ["hello", /payload: must be object/],
    [null, /payload: must be object/],
    [undefined, /payload: must be object/],
  ];
  for (const [payload, message] of cases) {
    const error = refusal(() => validate(MessageSendPayload, payload));
    assert.equal(error.code, "VALIDATION_ERROR");
    assert.match(error.message, message, JSON.stringify(payload));
    assert.deepEqual(Object.keys(error.toJSON()).sort(), ["code", "details", "message"]);
  }
  // No body is a shape the schema allows (attachments alone); the rule refuses it in words.
  assert.equal(
    refusal(() => normaliseBody("")).message,
    "The message is empty (send a body or attachments).",
  );
  assert.equal(normaliseBody("  ", true), "", "with attachments the body may be empty");
  const ok = validate(MessageSendPayload, { chat_id: CHAT, body: "hi", status: "sent" });
  assert.equal(ok.body, "hi");
});
