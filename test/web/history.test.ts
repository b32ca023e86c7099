/**
 * Long histories scroll upward page by page, and groups are created by searching users.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  messageItem,
  openPerson,
  PASSWORD,
  SCREENSHOTS,
} from "./browser.ts";

test("history loads upward with infinite scroll", { timeout: 120_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, direct, post } = await chatFixture(t, ["ana", "ben"]);
  const [ana, ben] = users;
  const chat = await direct(ana, ben);
  let last = { seq: 0 };
  for (let i = 1; i <= 130; i++) {
    last = await post(i % 3 === 0 ? ben : ana, chat.id, `Message number ${i}`);
  }
  // Read to the end: the chat opens at the bottom (not at a first unread message).
  await http(url, "POST", `/api/chats/${chat.id}/read`, {
    token: ben.token,
    body: { seq: last.seq },
  });

  const { page } = await openPerson(browser, url, { width: 1280, height: 800 });
  await page.getByLabel("Username").fill("ben");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  const chatButton = page.getByRole("button", { name: /ana/ });
  await chatButton.filter({ hasText: "Message number 130" }).waitFor();
  await chatButton.click();
  await messageItem(page, "Message number 130").waitFor();
  const items = page.getByRole("list", { name: "Messages" }).getByRole("listitem");
  const bodies = items.locator(".message-body");
  assert.ok(!(await bodies.allInnerTexts()).includes("Message number 1"), "not loaded yet");

  // Scroll to the top until the beginning shows up.
  const scroller = page.locator(".messages");
  for (let round = 0; round < 10; round++) {
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    if (await page.getByText("This is the beginning of the conversation.").isVisible()) break;
    await page.waitForTimeout(300);
  }
  await page.getByText("This is the beginning of the conversation.").waitFor();
  await page.getByText("Message number 1", { exact: true }).waitFor();
  // Every message exactly once, in order.
  const texts = await bodies.allInnerTexts();
  assert.deepEqual(
    texts,
    Array.from({ length: 130 }, (_, i) => `Message number ${i + 1}`),
  );
});

test(
  "a group is created by searching users and shows under its name",
  { timeout: 120_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    const { url } = await chatFixture(t, ["carla", "diego"]);
    const { page } = await openPerson(browser, url, { width: 390, height: 844 });
    await page.getByLabel("Username").fill("elena");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Register" }).click();

    await page.getByRole("button", { name: "New chat" }).click();
    const dialog = page.getByRole("dialog");
    for (const name of ["carla", "diego"]) {
      await dialog.getByLabel("Search users").fill(name);
      await dialog.getByRole("checkbox", { name, exact: true }).check();
    }
    await dialog.getByLabel("Group name").fill("Weekend trip");
    await page.screenshot({ path: path.join(SCREENSHOTS, "new-group-phone.png") });
    await dialog.getByRole("button", { name: "Create group" }).click();
    await page.getByRole("heading", { name: "Weekend trip" }).waitFor();
    // Keyboard only: type and press Enter.
    await page.keyboard.type("Who brings the tent?");
    await page.keyboard.press("Enter");
    await messageItem(page, "Who brings the tent?").waitFor();
    await page.getByRole("button", { name: "Back to chats" }).click();
    await page.getByRole("button", { name: /Weekend trip/ }).waitFor();
  },
);
