/**
 * Read positions come with the chat: "Seen" shows for reads made while the page was
 * closed, and follows live reads while it is open.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { ensureWebBuild, launchBrowser, messageItem, openPerson, PASSWORD } from "./browser.ts";

test(
  "a read made while the page was closed shows as Seen on load",
  { timeout: 120_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    const { url, users, direct, post } = await chatFixture(t, ["alice", "bob"]);
    const [alice, bob] = users;
    const chat = await direct(alice, bob);
    const first = await post(alice, chat.id, "Are you there?");

    const { page, errors } = await openPerson(browser, url);
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("button", { name: /bob/ }).click();
    const mine = messageItem(page, "Are you there?");
    await mine.waitFor();
    assert.equal(await mine.getByText("Seen", { exact: true }).count(), 0, "not read yet");

    // Bob reads while alice's page is closed; she comes back to the chat.
    await page.goto("about:blank");
    const read = await http(url, "POST", `/api/chats/${chat.id}/read`, {
      token: bob.token,
      body: { seq: first.seq },
    });
    assert.equal(read.status, 204);
    await page.goto(`/#/c/${chat.id}`);
    await messageItem(page, "Are you there?").getByText("Seen", { exact: true }).waitFor();

    // A new message is not seen yet; bob's live read marks it.
    const second = await post(alice, chat.id, "Lunch at one?");
    const latest = messageItem(page, "Lunch at one?");
    await latest.waitFor();
    assert.equal(await latest.getByText("Seen", { exact: true }).count(), 0);
    await http(url, "POST", `/api/chats/${chat.id}/read`, {
      token: bob.token,
      body: { seq: second.seq },
    });
    await latest.getByText("Seen", { exact: true }).waitFor();

    // And a reload keeps it.
    await page.reload();
    await messageItem(page, "Lunch at one?").getByText("Seen", { exact: true }).waitFor();
    assert.deepEqual(errors, []);
  },
);
