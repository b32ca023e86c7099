/**
 * A group's incoming webhooks in its members dialog: the owner makes one, copies its URL
 * (shown once), a POST of `{ text }` to that URL shows in another member's open browser
 * under the webhook's name, and once deleted the URL answers 404; a second one, listed among
 * the members under its own name, goes when its bot is removed from them, after a prompt that
 * names the webhook and says it is deleted (out of the list, URL 404). The audit log names the group
 * of each change. A member who is not an admin of the group has no such section.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  logIn,
  messageItem,
  openPerson,
  SCREENSHOTS,
  seriousViolations,
} from "./browser.ts";

async function openMembers(page: Page) {
  await page.getByRole("button", { name: /Ops room/ }).click();
  await page.getByRole("heading", { name: "Ops room" }).waitFor();
  await page.getByRole("button", { name: "Members" }).click();
  return page.getByRole("dialog", { name: "Members" });
}

const postTo = (url: string, text: string) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });

test(
  "a group owner connects a webhook, it posts, and is deleted",
  { timeout: 150_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    // alice alone first: the first account is the server's admin, who reads the audit log.
    const { url, users, register, group } = await chatFixture(t, ["alice"]);
    const [alice] = users;
    const bob = await register("bob");
    await group(alice, [bob], "Ops room");

    const a = await openPerson(browser, url);
    await a.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const b = await openPerson(browser, url);
    await logIn(a.page, "alice");
    await logIn(b.page, "bob");

    // bob is a plain member: no webhooks for him to manage.
    const bobsDialog = await openMembers(b.page);
    await bobsDialog.getByRole("list", { name: "Members" }).waitFor();
    assert.equal(await bobsDialog.getByRole("button", { name: "Webhooks" }).count(), 0);
    await bobsDialog.getByRole("button", { name: "Done" }).click();
    await bobsDialog.waitFor({ state: "detached" });

    // alice opens the group's webhooks (their own chunk) over the members and makes one.
    const members = await openMembers(a.page);
    await members.getByRole("button", { name: "Webhooks" }).click();
    const dialog = a.page.getByRole("dialog", { name: "Webhooks" });
    const list = dialog.getByRole("list", { name: "Webhooks of this group" });
    await list.getByText("No webhook yet.").waitFor();
    await dialog.getByLabel("Webhook name").fill("CI builds");
    await dialog.getByRole("button", { name: "Create webhook" }).click();
    const field = dialog.getByRole("textbox", { name: "Webhook URL" });
    await field.waitFor();
    const hookUrl = await field.inputValue();
    assert.equal(new URL(hookUrl).origin, new URL(url).origin);
    await list.getByRole("listitem").filter({ hasText: "CI builds" }).waitFor();
    await dialog.getByRole("button", { name: "Copy URL" }).click();
    await dialog.getByText("Copied").waitFor();
    assert.equal(await a.page.evaluate("navigator.clipboard.readText()"), hookUrl);
    assert.deepEqual(await seriousViolations(a.page, "webhooks dialog"), []);
    await a.page.screenshot({ path: path.join(SCREENSHOTS, "webhooks.png") });

    // Another program posts through the URL: bob, with the chat open, reads it live.
    await b.page.getByRole("heading", { name: "Ops room" }).waitFor();
    const posted = await postTo(hookUrl, "build #42 passed");
    assert.equal(posted.status, 201);
    const item = messageItem(b.page, "build #42 passed");
    await item.waitFor();
    await item.getByText("CI builds", { exact: true }).waitFor();

    // Deleted after a second step: gone from the list, and its URL no longer posts.
    await list.getByRole("button", { name: "Delete CI builds" }).click();
    await dialog
      .getByRole("group", { name: /Delete CI builds\?/ })
      .getByRole("button", { name: "Delete" })
      .click();
    await list.getByText("No webhook yet.").waitFor();
    await field.waitFor({ state: "detached" });
    const refused = await postTo(hookUrl, "still there?");
    assert.equal(refused.status, 404);
    // Done goes back to the members, where the webhook's bot has left with it.
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "detached" });
    const memberRows = members.getByRole("list", { name: "Members" }).getByRole("listitem");
    await memberRows.filter({ hasText: "CI builds" }).waitFor({ state: "detached" });
    assert.equal(await memberRows.count(), 2);

    // A second webhook, whose bot alice then removes from the members: the webhook goes with
    // it, out of the list, and its URL answers 404.
    await members.getByRole("button", { name: "Webhooks" }).click();
    await dialog.getByLabel("Webhook name").fill("Alerts");
    await dialog.getByRole("button", { name: "Create webhook" }).click();
    const alertsUrl = await field.inputValue();
    await list.getByRole("listitem").filter({ hasText: "Alerts" }).waitFor();
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "detached" });
    // The bot goes by its webhook's name, never by its random username, and the prompt says
    // that the webhook goes too.
    const bot = memberRows.filter({ hasText: "Alerts" });
    await bot.getByText("(webhook)").waitFor();
    assert.doesNotMatch(await bot.innerText(), /webhook-[0-9a-f]/);
    await bot.getByRole("button", { name: "Remove Alerts", exact: true }).click();
    const question = "Remove the webhook Alerts? It is deleted, and its URL stops working at once.";
    const prompt = bot.getByRole("group", { name: question });
    await prompt.getByText(question, { exact: true }).waitFor();
    await prompt.getByRole("button", { name: "Remove", exact: true }).click();
    await bot.waitFor({ state: "detached" });
    assert.equal((await postTo(alertsUrl, "still up?")).status, 404);
    await members.getByRole("button", { name: "Webhooks" }).click();
    await list.getByText("No webhook yet.").waitFor();
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "detached" });
    await members.getByRole("button", { name: "Done" }).click();
    await members.waitFor({ state: "detached" });

    // alice, the server's admin, reads the four changes in the audit log, each naming the group.
    await a.page.getByRole("button", { name: "Administration" }).click();
    await a.page.getByRole("tab", { name: "Audit log" }).click();
    const entries = a.page.getByRole("list", { name: "Audit log" }).locator(".audit-what");
    await entries
      .first()
      .getByText(/deleted an incoming webhook/)
      .waitFor();
    assert.deepEqual((await entries.allTextContents()).slice(0, 4), [
      "alice deleted an incoming webhook of “Ops room”",
      "alice added an incoming webhook to “Ops room”",
      "alice deleted an incoming webhook of “Ops room”",
      "alice added an incoming webhook to “Ops room”",
    ]);
    assert.deepEqual([...a.errors, ...b.errors], []);
  },
);
