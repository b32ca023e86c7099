/**
 * Moderation a member can do: report a message from its menu (the admins then see it), and
 * block someone from their profile in a direct chat: the blocked one can no longer write
 * there until they are unblocked from the chat's notice.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  logIn,
  messageItem,
  openPerson,
  SCREENSHOTS,
} from "./browser.ts";

test("a member reports a message and blocks its sender", { timeout: 150_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, register, direct, post } = await chatFixture(t, ["root"]);
  const [root] = users;
  const alice = await register("alice");
  const bob = await register("bob");
  const chat = await direct(alice, bob);
  await post(bob, chat.id, "buy cheap watches");

  const a = await openPerson(browser, url);
  await logIn(a.page, "alice");
  await a.page.getByRole("button", { name: /bob/ }).click();
  const spam = messageItem(a.page, "buy cheap watches");
  await spam.hover();
  await spam.getByRole("button", { name: "Report message" }).click();
  const dialog = a.page.getByRole("dialog", { name: "Report this message" });
  await dialog.getByLabel("What is wrong with it?").fill("  spam  ");
  await a.page.screenshot({ path: path.join(SCREENSHOTS, "report.png") });
  await dialog.getByRole("button", { name: "Send report" }).click();
  await dialog.getByText("Thank you: the admins will look at it.").waitFor();
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "detached" });
  const reports = await http<{ reports: { reason: string; message: { body: string } }[] }>(
    url,
    "GET",
    "/api/admin/reports",
    { token: root.token },
  );
  assert.deepEqual(
    reports.body.reports.map((r) => [r.reason, r.message.body]),
    [["spam", "buy cheap watches"]],
  );
  // One's own messages have no Report action (the server would take it; the menu stays short).
  await a.page.getByLabel("Message", { exact: true }).fill("stop it");
  await a.page.getByLabel("Message", { exact: true }).press("Enter");
  await messageItem(a.page, "stop it").hover();
  assert.equal(
    await messageItem(a.page, "stop it").getByRole("button", { name: "Report message" }).count(),
    0,
  );

  // Block from bob's profile: bob can no longer write into the chat.
  await a.page.getByRole("button", { name: "View profile" }).click();
  const profile = a.page.getByRole("dialog", { name: "Profile of bob" });
  await profile.getByRole("button", { name: "Block bob" }).click();
  await profile.getByRole("button", { name: "Unblock bob" }).waitFor();
  await profile.getByText(/Blocked/).waitFor();
  await profile.getByRole("button", { name: "Done" }).click();
  const notice = a.page.getByRole("status").filter({ hasText: "You blocked bob" });
  await notice.waitFor();
  await a.page.screenshot({ path: path.join(SCREENSHOTS, "blocked.png") });
  const refused = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
    token: bob.token,
    body: { body: "hello?" },
  });
  assert.equal(refused.status, 403);

  // Unblock from the chat: bob writes again, and alice gets it live.
  await notice.getByRole("button", { name: "Unblock bob" }).click();
  await notice.waitFor({ state: "detached" });
  await post(bob, chat.id, "sorry");
  await messageItem(a.page, "sorry").waitFor();
  assert.deepEqual(a.errors, []);
});
