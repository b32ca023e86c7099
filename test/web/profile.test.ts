/**
 * Profiles in the browser: alice sets a display name and a photo (cropped square in the
 * page before the upload) in her profile; bob, in a chat with her, sees both change live.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { chatFixture } from "../support/fixture.ts";
import { solidImage } from "../support/images.ts";
import { ensureWebBuild, launchBrowser, openPerson, PASSWORD } from "./browser.ts";

async function logIn(page: Page, username: string): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
}

test("a new display name and photo reach the other side live", { timeout: 150_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, direct } = await chatFixture(t, ["alice", "bob"]);
  const [alice, bob] = users;
  await direct(alice, bob);

  const a = await openPerson(browser, url);
  const b = await openPerson(browser, url);
  await logIn(a.page, "alice");
  await logIn(b.page, "bob");
  const bobsChat = b.page.locator(".chat-item").first();
  await bobsChat.getByText("alice").first().waitFor();

  await a.page.getByRole("button", { name: "Profile" }).click();
  const dialog = a.page.getByRole("dialog", { name: "Profile" });
  await dialog.getByLabel("Display name").fill("Alice Liddell");
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.getByRole("status").getByText("Saved").waitFor();
  await bobsChat.getByText("Alice Liddell").first().waitFor();

  // A wide photo: the page crops it square before it leaves.
  await dialog.getByLabel("Change photo", { exact: true }).setInputFiles({
    name: "wide.png",
    mimeType: "image/png",
    buffer: await solidImage(900, 300, "png"),
  });
  const bobsPhoto = bobsChat.locator("img");
  await bobsPhoto.waitFor();
  const first = await bobsPhoto.getAttribute("src");
  assert.match(first ?? "", /^\/avatars\//);
  const size = await bobsPhoto.evaluate(async (img) => {
    const photo = img as unknown as {
      decode(): Promise<void>;
      naturalWidth: number;
      naturalHeight: number;
    };
    await photo.decode();
    return [photo.naturalWidth, photo.naturalHeight];
  });
  assert.deepEqual(size, [256, 256]);

  // Another photo: bob's page follows without a reload.
  await dialog.getByLabel("Change photo", { exact: true }).setInputFiles({
    name: "tall.jpg",
    mimeType: "image/jpeg",
    buffer: await solidImage(200, 700, "jpeg"),
  });
  // Polled with attribute reads (the page's CSP forbids waitForFunction's eval).
  const deadline = Date.now() + 15_000;
  while ((await bobsPhoto.getAttribute("src")) === first) {
    assert.ok(Date.now() < deadline, "bob's page still shows the old photo");
    await b.page.waitForTimeout(100);
  }
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
});
