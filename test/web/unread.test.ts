/**
 * Coming back into a busy chat: it opens at the first unread message under a "New
 * messages" divider, the jump button counts what arrives below, drafts stay per chat
 * (across switching and reloading), and the chat list filters by name.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import type { Locator } from "playwright-core";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  messageItem,
  openPerson,
  PASSWORD,
  SCREENSHOTS,
  waitUntil,
} from "./browser.ts";

/** Whether the element is inside the scrolled conversation's visible part. */
function inView(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const list = el.closest(".messages")!.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return box.bottom > list.top && box.top < list.bottom;
  });
}

test("a busy chat opens at its first unread message", { timeout: 150_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, direct, post } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  const chat = await direct(ana, ben);
  // 40 read, then 80 unread: more than one page of history (50).
  for (let i = 1; i <= 40; i++) await post(i % 2 ? ana : ben, chat.id, `Old message ${i}`);
  const lastRead = await post(ana, chat.id, "Last one ben read");
  await http(url, "POST", `/api/chats/${chat.id}/read`, {
    token: ben.token,
    body: { seq: lastRead.seq },
  });
  // Each ends with a full stop: "Unread message 8" sent at 10:51 would read "Unread message
  // 810:51" and match "Unread message 81".
  const numbered = (n: number) => `Unread message ${n}.`;
  for (let i = 1; i <= 80; i++) await post(ana, chat.id, numbered(i));

  const { page, errors } = await openPerson(browser, url);
  await page.getByLabel("Username").fill("ben");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("button", { name: /ana/ }).filter({ hasText: "80 unread messages" }).click();

  // The conversation shows once it is in place.
  await page
    .getByRole("log", { name: "Conversation" })
    .and(page.locator("[aria-busy=false]"))
    .waitFor();
  const divider = page.getByRole("listitem").filter({ hasText: /^New messages$/ });
  // The divider sits right above the first unread message, at the top of the view.
  const afterDivider = page.locator(".unread-divider + .message");
  assert.match(await afterDivider.innerText(), /Unread message 1\b/);
  assert.ok(await inView(divider));
  assert.ok(await inView(messageItem(page, "Unread message 1").first()));
  assert.equal(await inView(messageItem(page, numbered(80))), false);
  // Not at the bottom: the jump button counts the unread messages below.
  const jump = page.getByRole("button", { name: "Jump to 80 new messages" });
  await jump.waitFor();
  await page.screenshot({ path: path.join(SCREENSHOTS, "unread.png") });

  // One more arrives while scrolled up: the count follows; the list is not marked read.
  await post(ana, chat.id, numbered(81));
  await page.getByRole("button", { name: "Jump to 81 new messages" }).waitFor();
  await page.getByRole("button", { name: "Jump to 81 new messages" }).click();
  await messageItem(page, numbered(81)).waitFor();
  await page.getByRole("button", { name: /Jump to/ }).waitFor({ state: "detached" });
  // At the bottom, new messages follow in view and the divider stays where it was.
  await post(ana, chat.id, numbered(82));
  await messageItem(page, numbered(82)).waitFor();
  await waitUntil(
    page,
    `(() => {
    const list = document.querySelector(".messages");
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  })()`,
  );
  assert.ok(await inView(messageItem(page, numbered(82))));
  // Having reached the bottom, ben has read everything (the server says so).
  for (;;) {
    const chats = await http(url, "GET", "/api/chats", { token: ben.token });
    if (chats.body.chats[0].unread_count === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(await divider.count(), 1);
  assert.deepEqual(errors, []);
});

test("drafts stay per chat, and the chat list filters by name", { timeout: 120_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, direct, group, post } = await chatFixture(t, ["sofia", "angel", "bea"]);
  const [sofia, angel, bea] = users;
  const withAngel = await direct(sofia, angel);
  await group(sofia, [angel, bea], "Viaje a Málaga");
  await post(angel, withAngel.id, "Hola");
  await direct(sofia, bea);

  const { page, errors } = await openPerson(browser, url);
  await page.getByLabel("Username").fill("sofia");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  const list = page.getByRole("list", { name: "Chats" });
  await list.getByRole("button").nth(2).waitFor();

  // The filter: any letter case, with or without accents.
  const filter = page.getByRole("searchbox", { name: "Filter chats" });
  await filter.fill("ANGEL");
  await list.getByRole("button").filter({ hasText: "angel" }).waitFor();
  assert.equal(await list.getByRole("button").count(), 1);
  await filter.fill("malaga");
  await list.getByRole("button", { name: /Viaje a Málaga/ }).waitFor();
  assert.equal(await list.getByRole("button").count(), 1);
  await filter.fill("nobody");
  await page.getByText("No chat by that name.").waitFor();
  await filter.press("Escape");
  await list.getByRole("button").nth(2).waitFor();

  // A draft in one chat survives switching to another and a reload.
  await list.getByRole("button", { name: /angel/ }).click();
  const field = page.getByLabel("Message", { exact: true });
  await field.fill("Half a thought");
  await list.getByRole("button", { name: /bea/ }).click();
  await page.getByRole("heading", { name: "bea", exact: true }).waitFor();
  assert.equal(await field.inputValue(), "");
  await list
    .getByRole("button", { name: /angel/ })
    .filter({ hasText: "Draft: Half a thought" })
    .waitFor();
  await page.reload();
  await list.getByRole("button", { name: /angel/ }).click();
  await page.getByRole("heading", { name: "angel", exact: true }).waitFor();
  assert.equal(await field.inputValue(), "Half a thought");
  // Sending ends the draft.
  await field.press("Enter");
  await messageItem(page, "Half a thought").waitFor();
  await page.reload();
  await page.getByRole("heading", { name: "angel", exact: true }).waitFor();
  assert.equal(await field.inputValue(), "");
  assert.deepEqual(errors, []);
});
