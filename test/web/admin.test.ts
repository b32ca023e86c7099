/**
 * The admin page: the first account (an admin) finds a user, reads a report with the
 * reported message and deletes it, deactivates and reactivates the sender, makes an invite
 * link and copies it, and reads each action in the audit log. A user who is not an admin
 * has no way to the page and is refused if they type its address.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { ensureWebBuild, launchBrowser, openPerson, PASSWORD, SCREENSHOTS } from "./browser.ts";
import type { Page } from "playwright-core";

async function logIn(page: Page, username: string): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
}

test("an admin moderates from the admin page", { timeout: 150_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  // root registers first, alone, so root is the server's first account and its admin.
  const { url, users, register, group, post } = await chatFixture(t, ["root"]);
  const [root] = users;
  assert.equal(root.user.role, "admin");
  const bob = await register("bob");
  const carol = await register("carol");
  assert.equal(carol.user.role, "user");
  const team = await group(carol, [bob], "Team");
  const rude = await post(bob, team.id, "you are all wrong");
  const reported = await http(url, "POST", `/api/messages/${rude.id}/report`, {
    token: carol.token,
    body: { reason: "insults the team" },
  });
  assert.equal(reported.status, 201);

  const a = await openPerson(browser, url);
  await a.context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await logIn(a.page, "root");
  await a.page.getByRole("button", { name: "Administration" }).click();
  await a.page.getByRole("heading", { name: "Administration" }).waitFor();
  assert.match(a.page.url(), /#\/admin$/);

  // Users: search, then deactivate bob (his sessions end) and bring him back.
  const panel = a.page.getByRole("tabpanel");
  await panel.getByLabel("Find users").fill("bo");
  const rows = panel.getByRole("list", { name: "Users" }).getByRole("listitem");
  await rows.filter({ hasText: "bob" }).waitFor();
  await rows.filter({ hasText: "carol" }).waitFor({ state: "detached" });
  await panel.getByRole("button", { name: "Deactivate bob" }).click();
  await panel
    .getByRole("group", { name: /Deactivate bob\?/ })
    .getByRole("button", { name: "Deactivate" })
    .click();
  await rows.filter({ hasText: "bob" }).getByText("Deactivated").waitFor();
  const refused = await http(url, "GET", "/api/users/me", { token: bob.token });
  assert.equal(refused.status, 401);
  await panel.getByRole("button", { name: "Reactivate bob" }).click();
  await panel.getByRole("button", { name: "Deactivate bob" }).waitFor();

  // Reports: the message with the reason; deleting it deletes it for the chat.
  await a.page.getByRole("tab", { name: "Reports" }).click();
  const report = panel.getByRole("listitem").filter({ hasText: "insults the team" });
  await report.getByText("you are all wrong").waitFor();
  await report.getByText(/Reported by carol/).waitFor();
  await report.getByText(/Message from bob/).waitFor();
  await report.getByRole("button", { name: "Delete message" }).click();
  await report.getByRole("button", { name: "Delete", exact: true }).click();
  await report.getByText("Deleted", { exact: true }).waitFor();
  const history = await http<{ messages: { id: string; status: string }[] }>(
    url,
    "GET",
    `/api/chats/${team.id}/messages`,
    { token: carol.token },
  );
  assert.equal(history.body.messages.find((m) => m.id === rude.id)?.status, "deleted");

  // Invites: a link to the register page, copied to the clipboard.
  await a.page.getByRole("tab", { name: "Invites" }).click();
  await panel.getByLabel("How many people may use it").fill("3");
  await panel.getByLabel("Valid for").selectOption({ label: "1 day" });
  await panel.getByRole("button", { name: "Create invite link" }).click();
  const link = panel.getByRole("textbox", { name: "Invite link" });
  await link.waitFor();
  const inviteUrl = await link.inputValue();
  assert.match(inviteUrl, /\/register\?invite=/);
  await panel.getByText(/3 uses · valid until/).waitFor();
  await panel.getByRole("button", { name: "Copy link" }).click();
  await panel.getByText("Copied").waitFor();
  assert.equal(await a.page.evaluate("navigator.clipboard.readText()"), inviteUrl);

  // The audit log: each action, newest first.
  await a.page.getByRole("tab", { name: "Audit log" }).click();
  const entries = panel.getByRole("list", { name: "Audit log" }).getByRole("listitem");
  await entries.first().getByText("root created an invite link").waitFor();
  assert.deepEqual(await entries.locator(".audit-what").allTextContents(), [
    "root created an invite link",
    "root deleted a message",
    "root reactivated bob",
    "root deactivated bob",
  ]);
  await a.page.screenshot({ path: path.join(SCREENSHOTS, "admin.png") });

  // Arrow keys move between the tabs.
  await a.page.getByRole("tab", { name: "Audit log" }).press("Home");
  await a.page.getByRole("tab", { name: "Users", selected: true }).waitFor();

  // A phone shows the page alone, with the way back.
  const phone = await openPerson(browser, url, { width: 390, height: 844 });
  await logIn(phone.page, "root");
  await phone.page.getByRole("button", { name: "Administration" }).click();
  await phone.page.getByRole("tab", { name: "Reports" }).click();
  await phone.page.getByText("insults the team").waitFor();
  await phone.page.screenshot({ path: path.join(SCREENSHOTS, "admin-phone.png") });
  await phone.page.getByRole("button", { name: "Back to chats" }).click();
  await phone.page.getByRole("button", { name: "New chat" }).waitFor();

  // Not an admin: no button, and the address alone shows nothing of the server's.
  const c = await openPerson(browser, url);
  await logIn(c.page, "carol");
  assert.equal(await c.page.getByRole("button", { name: "Administration" }).count(), 0);
  await c.page.goto("/#/admin");
  await c.page.getByText("Only the server's admins can see this page.").waitFor();
  assert.equal(await c.page.getByRole("tab").count(), 0);
  assert.deepEqual([...a.errors, ...phone.errors, ...c.errors], []);
});
