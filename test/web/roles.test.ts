/**
 * Group roles in the members dialog: the owner makes a member an admin, who then (live, in
 * their own browser) adds and removes members and may delete others' messages; the owner
 * takes the role back. A member's profile opens from the list, with Block.
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
} from "./browser.ts";

async function openMembers(page: Page) {
  await page.getByRole("button", { name: /Book club/ }).click();
  await page.getByRole("heading", { name: "Book club" }).waitFor();
  await page.getByRole("button", { name: "Members" }).click();
  return page.getByRole("dialog", { name: "Members" });
}

test("the owner names a group admin, who then manages members", { timeout: 150_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, group, post } = await chatFixture(t, ["alice", "bob", "carol", "dan"]);
  const [alice, bob, carol] = users;
  const club = await group(alice, [bob, carol], "Book club");
  await post(carol, club.id, "carol was here");

  const a = await openPerson(browser, url);
  const b = await openPerson(browser, url);
  await logIn(a.page, "alice");
  await logIn(b.page, "bob");
  const bobsDialog = await openMembers(b.page);
  assert.equal(await bobsDialog.getByLabel("Add people").count(), 0);
  await bobsDialog.getByRole("button", { name: "Close" }).click();
  await messageItem(b.page, "carol was here").hover();
  assert.equal(
    await messageItem(b.page, "carol was here")
      .getByRole("button", { name: "Delete message" })
      .count(),
    0,
  );

  // alice makes bob an admin.
  const dialog = await openMembers(a.page);
  const rows = dialog.getByRole("list", { name: "Members" }).getByRole("listitem");
  await dialog.getByText(/only the owner names admins/).waitFor();
  await dialog.getByRole("button", { name: "Make admin bob" }).click();
  await rows.filter({ hasText: "bob" }).getByText("Admin", { exact: true }).waitFor();
  await dialog.getByRole("button", { name: "Remove admin bob" }).waitFor();
  // Admins sort after the owner, before members.
  assert.deepEqual(
    (await rows.locator(".user-result-name").allTextContents()).map((text) => text.split(/\W/)[0]),
    ["alice", "bob", "carol"],
  );
  await a.page.screenshot({ path: path.join(SCREENSHOTS, "roles.png") });
  await a.page.setViewportSize({ width: 390, height: 844 });
  await a.page.screenshot({ path: path.join(SCREENSHOTS, "roles-phone.png") });
  await a.page.setViewportSize({ width: 1280, height: 800 });

  // bob, live: adds dan, removes carol, may delete carol's message; cannot touch the owner.
  await messageItem(b.page, "carol was here").hover();
  await messageItem(b.page, "carol was here")
    .getByRole("button", { name: "Delete message" })
    .waitFor();
  await b.page.getByRole("button", { name: "Members" }).click();
  await bobsDialog.getByLabel("Add people").fill("dan");
  await bobsDialog.getByRole("button", { name: "Add dan" }).click();
  const bobsRows = bobsDialog.getByRole("list", { name: "Members" }).getByRole("listitem");
  await bobsRows.filter({ hasText: "dan" }).waitFor();
  assert.equal(await bobsDialog.getByRole("button", { name: "Remove alice" }).count(), 0);
  assert.equal(await bobsDialog.getByRole("button", { name: /Make admin/ }).count(), 0);
  await bobsDialog.getByRole("button", { name: "Remove carol" }).click();
  await bobsDialog
    .getByRole("group", { name: "Remove carol from the group?" })
    .getByRole("button", { name: "Remove" })
    .click();
  await bobsRows.filter({ hasText: "carol" }).waitFor({ state: "detached" });
  await rows.filter({ hasText: "carol" }).waitFor({ state: "detached" });

  // alice takes the role back: bob's controls go, live.
  await dialog.getByRole("button", { name: "Remove admin bob" }).click();
  await rows.filter({ hasText: "bob" }).getByText("Member", { exact: true }).waitFor();
  await bobsDialog.getByLabel("Add people").waitFor({ state: "detached" });
  assert.equal(await bobsDialog.getByRole("button", { name: /^Remove/ }).count(), 0);

  // A member's profile from the list: block and unblock.
  await dialog.getByRole("button", { name: "dan", exact: true }).click();
  const profile = a.page.getByRole("dialog", { name: "Profile of dan" });
  await profile.getByRole("button", { name: "Block dan" }).click();
  await profile.getByRole("button", { name: "Unblock dan" }).click();
  await profile.getByRole("button", { name: "Block dan" }).waitFor();
  await profile.getByRole("button", { name: "Done" }).click();
  await profile.waitFor({ state: "detached" });
  // The members dialog is still open behind it.
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.deepEqual([...a.errors, ...b.errors], []);
});
