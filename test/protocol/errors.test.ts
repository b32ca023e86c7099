/**
 * The error catalog is the one map between codes and HTTP statuses: every status a client
 * meets reads back as the code the server meant, and statuses the catalog does not list
 * (a proxy's, a framework's) read as the nearest code.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { codeForStatus, ERRORS, type ErrorCode } from "@charla/protocol/errors";

test("each code has its own status, and that status reads back as the code", () => {
  for (const code of Object.keys(ERRORS) as ErrorCode[]) {
    assert.equal(codeForStatus(ERRORS[code].status), code, `${code} ↔ ${ERRORS[code].status}`);
  }
});

test("statuses outside the catalog read as the nearest code", () => {
  for (const status of [405, 408, 415, 422])
    assert.equal(codeForStatus(status), "VALIDATION_ERROR");
  for (const status of [502, 504]) assert.equal(codeForStatus(status), "UNAVAILABLE");
  for (const status of [200, 302, 0]) assert.equal(codeForStatus(status), "INTERNAL");
});
