/**
 * A group's members dialog: the owner adds someone found by search and removes them;
 * the people concerned see the group come and go live.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  logIn,
  messageItem,
  openPerson,
  SCREENSHOTS,
  sendWithEnter,
} from "./browser.ts";

test("the owner adds and removes a group member live", { timeout: 150_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, group } = await chatFixture(t, ["alice", "bob", "carol"]);
  const [alice, bob] = users;
  await group(alice, [bob], "Book club");

  const a = await openPerson(browser, url);
  const c = await openPerson(browser, url);
  await logIn(a.page, "alice");
  await logIn(c.page, "carol");
  const carolsGroup = c.page.getByRole("button", { name: /Book club/ });
  assert.equal(await carolsGroup.count(), 0);

  await a.page.getByRole("button", { name: /Book club/ }).click();
  await a.page.getByRole("heading", { name: "Book club" }).waitFor();
  await a.page.getByRole("button", { name: "Members" }).click();
  const dialog = a.page.getByRole("dialog", { name: "Members" });
  const members = dialog.getByRole("list", { name: "Members" }).getByRole("listitem");
  await members.filter({ hasText: "bob" }).waitFor();
  assert.equal(await members.count(), 2);
  await members.filter({ hasText: "alice" }).getByText("Owner").waitFor();
  // carol is online: her page is open.
  await dialog.getByLabel("Add people").fill("carol");
  await dialog.getByRole("button", { name: "Add carol" }).click();
  await members.filter({ hasText: "carol" }).getByText("online").waitFor();
  assert.equal(await members.count(), 3);
  await members.filter({ hasText: "carol" }).getByText("Member", { exact: true }).waitFor();
  // Everyone is a member now. A name nobody has: said so. An empty field: nothing was
  // looked for, so no "nobody found" (the field's own placeholder is all).
  const search = dialog.getByLabel("Add people");
  await search.fill("zed_nobody");
  await dialog.getByText("Nobody found by that name.").waitFor();
  await search.fill("");
  await dialog.getByText("Nobody found by that name.").waitFor({ state: "detached" });
  await a.page.screenshot({ path: path.join(SCREENSHOTS, "members.png") });
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "detached" });

  // carol sees the group appear and gets new messages there.
  await carolsGroup.waitFor();
  await carolsGroup.click();
  await c.page.getByRole("heading", { name: "Book club" }).waitFor();
  await sendWithEnter(a.page, "Welcome, carol!");
  await messageItem(c.page, "Welcome, carol!").waitFor();
  await sendWithEnter(c.page, "Thanks!");
  await messageItem(a.page, "Thanks!").waitFor();
  // A member who is not the owner sees the list without owner controls.
  await c.page.getByRole("button", { name: "Members" }).click();
  const carolsDialog = c.page.getByRole("dialog", { name: "Members" });
  await carolsDialog.getByRole("button", { name: "Leave group" }).waitFor();
  assert.equal(await carolsDialog.getByRole("button", { name: /^Remove/ }).count(), 0);
  assert.equal(await carolsDialog.getByLabel("Add people").count(), 0);
  await carolsDialog.getByRole("button", { name: "Close" }).click();

  // alice removes carol: the group leaves carol's list.
  await a.page.getByRole("button", { name: "Members" }).click();
  await dialog.getByRole("button", { name: "Remove carol" }).click();
  await dialog
    .getByRole("group", { name: "Remove carol from the group?" })
    .getByRole("button", { name: "Remove", exact: true })
    .click();
  await members.filter({ hasText: "carol" }).waitFor({ state: "detached" });
  assert.equal(await members.count(), 2);
  await carolsGroup.waitFor({ state: "detached" });
  await c.page.getByRole("heading", { name: "Book club" }).waitFor({ state: "detached" });

  // bob leaves by himself.
  const b = await openPerson(browser, url);
  await logIn(b.page, "bob");
  await b.page.getByRole("button", { name: /Book club/ }).click();
  await b.page.getByRole("button", { name: "Members" }).click();
  await b.page.getByRole("dialog").getByRole("button", { name: "Leave group" }).click();
  await b.page
    .getByRole("group", { name: "Leave this group?" })
    .getByRole("button", { name: "Leave", exact: true })
    .click();
  await b.page.getByRole("button", { name: /Book club/ }).waitFor({ state: "detached" });
  await members.filter({ hasText: "bob" }).waitFor({ state: "detached" });
  assert.equal(await members.count(), 1);

  assert.deepEqual([...a.errors, ...b.errors, ...c.errors], []);
});
