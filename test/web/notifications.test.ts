/**
 * Notifications as a user meets them: nothing is asked on load; turning them on in the
 * settings asks for permission from that click; a message of someone else in another chat
 * (or in the open chat while the tab is hidden) notifies, one's own never does; clicking the
 * notification opens its chat; the tab's title and favicon carry the unread total.
 *
 * The browser's permission prompt and notification pop-up cannot be answered headless, so
 * the page's `Notification` is a recorder (installed before the app loads); everything
 * else is real.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  messageItem,
  openPerson,
  PASSWORD,
  waitUntil,
} from "./browser.ts";

const RECORDER = `(() => {
  const shown = (window.charlaShown = []);
  window.charlaAsked = 0;
  window.charlaChimes = 0;
  // Kept across reloads, as a browser keeps a site's permission.
  let permission = sessionStorage.getItem("charlaPermission") ?? "default";
  class RecordedNotification {
    constructor(title, options) {
      this.title = title;
      this.body = options?.body;
      this.tag = options?.tag;
      this.onclick = null;
      shown.push(this);
    }
    static get permission() { return permission; }
    static requestPermission() {
      window.charlaAsked++;
      permission = "granted";
      sessionStorage.setItem("charlaPermission", permission);
      return Promise.resolve(permission);
    }
    close() {}
  }
  window.Notification = RecordedNotification;
  if (window.AudioContext) {
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () {
      window.charlaChimes++;
      return create.call(this);
    };
  }
  // The tab can be "hidden" on demand.
  window.charlaHidden = false;
  Object.defineProperty(document, "visibilityState", {
    get: () => (window.charlaHidden ? "hidden" : "visible"),
  });
})()`;

test(
  "notifications, the unread total in the tab, and settings",
  { timeout: 150_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    const { url, users, direct, group, post } = await chatFixture(t, ["alice", "bob", "carol"]);
    const [alice, bob, carol] = users;
    const withAlice = await direct(bob, alice);
    const club = await group(alice, [bob, carol], "Book club");

    const person = await openPerson(browser, url);
    const { page, errors } = person;
    await page.addInitScript(RECORDER);
    await page.reload();
    await page.getByLabel("Username").fill("bob");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("button", { name: /Book club/ }).waitFor();
    assert.equal(await page.evaluate("window.charlaAsked"), 0, "nothing asked on load");

    // Turned on in the settings: the permission is asked by that click.
    await page.getByRole("button", { name: "Notifications", exact: true }).click();
    const settings = page.getByRole("dialog", { name: "Notifications" });
    await settings.getByLabel("Show a notification for new messages").check();
    await settings.getByLabel("Play a sound for new messages").check();
    assert.equal(await page.evaluate("window.charlaAsked"), 1);
    await settings.getByRole("button", { name: "Done" }).click();

    // Looking at the chat with alice: her message there does not notify; one in the group does.
    await page.getByRole("button", { name: /alice/ }).click();
    await page.getByRole("heading", { name: "alice", exact: true }).waitFor();
    await post(alice, withAlice.id, "Here, in the open chat");
    await messageItem(page, "Here, in the open chat").waitFor();
    await post(bob, club.id, "My own words"); // bob on another device
    await post(carol, club.id, "Chapter 3 tonight?");
    await waitUntil(page, "window.charlaShown.length > 0");
    const shown = await page.evaluate<{ title: string; body: string; tag: string }[]>(
      "window.charlaShown.map(({ title, body, tag }) => ({ title, body, tag }))",
    );
    assert.deepEqual(shown, [
      { title: "Book club", body: "carol: Chapter 3 tonight?", tag: club.id },
    ]);
    assert.ok((await page.evaluate<number>("window.charlaChimes")) > 0, "the chime played");

    // The tab says how many are unread (bob's own message is not), in its title and icon.
    await waitUntil(page, "document.title === '(1) Charla'");
    assert.equal(await page.locator("link[rel=icon]").getAttribute("href"), "/favicon-unread.svg");

    // Clicking the notification opens its chat; reading it clears the total.
    await page.evaluate("window.charlaShown[0].onclick()");
    await page.getByRole("heading", { name: "Book club" }).waitFor();
    await waitUntil(page, "document.title === 'Charla'");
    assert.equal(await page.locator("link[rel=icon]").getAttribute("href"), "/favicon.svg");

    // With the tab hidden, a message in the open chat notifies too.
    await page.evaluate("window.charlaHidden = true");
    await post(carol, club.id, "Are you there?");
    await waitUntil(page, "window.charlaShown.length === 2");
    assert.equal(await page.evaluate("window.charlaShown[1].body"), "carol: Are you there?");
    await page.evaluate("window.charlaHidden = false");

    // Muted, the group notifies no more (and leaves the tab's total), even in another chat.
    const mute = page.getByRole("button", { name: "Mute notifications" });
    await mute.click();
    await page.locator("button[aria-pressed=true]", { hasText: "Mute notifications" }).waitFor();
    await page.getByRole("button", { name: /alice/ }).click();
    await page.getByRole("heading", { name: "alice", exact: true }).waitFor();
    await post(carol, club.id, "Quiet please");
    await page
      .getByRole("button", { name: /Book club.*muted/ })
      .filter({ hasText: "Quiet please" })
      .waitFor();
    await post(alice, withAlice.id, "barrier");
    await messageItem(page, "barrier").waitFor();
    assert.equal(await page.evaluate("window.charlaShown.length"), 2, "nothing for the muted chat");
    assert.equal(await page.title(), "Charla");
    await page.getByRole("button", { name: /Book club/ }).click();
    await mute.click();
    await page.locator("button[aria-pressed=false]", { hasText: "Mute notifications" }).waitFor();

    // The settings stay after a reload; turned off, nothing more shows.
    await page.reload();
    await page.getByRole("button", { name: "Notifications", exact: true }).click();
    const again = page.getByRole("dialog", { name: "Notifications" });
    assert.equal(await again.getByLabel("Show a notification for new messages").isChecked(), true);
    await again.getByLabel("Show a notification for new messages").uncheck();
    await again.getByLabel("Play a sound for new messages").uncheck();
    await again.getByRole("button", { name: "Done" }).click();
    await page.getByRole("button", { name: /alice/ }).click();
    await page.getByRole("heading", { name: "alice", exact: true }).waitFor();
    await post(carol, club.id, "Nobody rings now");
    // Barrier: the message reached the list; no notification was made for it.
    await page
      .getByRole("button", { name: /Book club/ })
      .filter({ hasText: "Nobody rings now" })
      .waitFor();
    assert.equal(await page.evaluate("window.charlaShown.length"), 0, "a fresh page shows none");
    assert.deepEqual(errors, []);
  },
);
