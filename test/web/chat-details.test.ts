/**
 * A group's owner renames it and gives it a description; the other member sees both live,
 * and a plain member is offered no way to change them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chatFixture } from "../support/fixture.ts";
import { ensureWebBuild, launchBrowser, openPerson, PASSWORD } from "./browser.ts";

test(
  "the owner renames and describes a group, members see it live",
  { timeout: 120_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    const { url, users, group } = await chatFixture(t, ["alice", "bob"]);
    const [alice, bob] = users;
    await group(alice, [bob], "Team");

    const [a, b] = [await openPerson(browser, url), await openPerson(browser, url)];
    for (const [person, name] of [
      [a, "alice"],
      [b, "bob"],
    ] as const) {
      await person.page.getByLabel("Username").fill(name);
      await person.page.getByLabel("Password").fill(PASSWORD);
      await person.page.getByRole("button", { name: "Log in" }).click();
      await person.page.getByRole("button", { name: /Team/ }).click();
      await person.page.getByRole("heading", { name: "Team", exact: true }).waitFor();
    }
    // A plain member has nothing to edit; the owner has.
    assert.equal(
      await b.page.getByRole("button", { name: "Group name and description" }).count(),
      0,
    );

    await a.page.getByRole("button", { name: "Group name and description" }).click();
    const dialog = a.page.getByRole("dialog", { name: "Group name and description" });
    await dialog.getByLabel("Group name").fill("Weekend trip");
    await dialog.getByLabel("Description").fill("Saturday, 9:00 at the station");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });

    for (const { page } of [a, b]) {
      await page.getByRole("heading", { name: "Weekend trip", exact: true }).waitFor();
      await page.locator(".chat-subtitle", { hasText: "Saturday, 9:00 at the station" }).waitFor();
      await page.getByRole("button", { name: /Weekend trip/ }).waitFor();
    }
    assert.deepEqual([...a.errors, ...b.errors], []);
  },
);
