/**
 * `@` autocompletion from the chat's members: typing `@ca` offers the matching members (not
 * oneself, nobody from outside the chat), ↑ ↓ move through them, Enter picks one, and the
 * message reaches the other side with the mention highlighted for the person named.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chatFixture } from "../support/fixture.ts";
import { ensureWebBuild, launchBrowser, messageItem, openPerson, PASSWORD } from "./browser.ts";

test(
  "@ autocompletes the chat's members by keyboard and by click",
  { timeout: 120_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    const { url, users, group } = await chatFixture(t, ["alice", "carol", "carlos", "cathy"]);
    const [alice, carol, carlos] = users;
    // cathy is not in the group: she is never offered.
    await group(alice, [carol, carlos], "Team");

    const [a, c] = [await openPerson(browser, url), await openPerson(browser, url)];
    // Frames come late on a busy machine: here they always do, so a caret put in place a
    // frame after a pick (instead of with the new text) races the next key, as it did on CI.
    await a.page.addInitScript({
      content: `{
        const next = window.requestAnimationFrame.bind(window);
        window.requestAnimationFrame = (callback) => (setTimeout(() => next(callback), 150), 0);
      }`,
    });
    await a.page.reload();
    for (const [person, name] of [
      [a, "alice"],
      [c, "carlos"],
    ] as const) {
      await person.page.getByLabel("Username").fill(name);
      await person.page.getByLabel("Password").fill(PASSWORD);
      await person.page.getByRole("button", { name: "Log in" }).click();
      await person.page.getByRole("button", { name: /Team/ }).click();
      await person.page.getByRole("heading", { name: "Team", exact: true }).waitFor();
    }

    const field = a.page.getByLabel("Message", { exact: true });
    await field.click();
    await a.page.keyboard.type("Lunch? @ca");
    const menu = a.page.getByRole("listbox", { name: "Mention someone" });
    await menu.waitFor();
    assert.deepEqual(await menu.getByRole("option").allInnerTexts(), [
      "CA\ncarlos\n@carlos",
      "CA\ncarol\n@carol",
    ]);
    assert.equal(await field.getAttribute("aria-autocomplete"), "list");
    const first = menu.getByRole("option", { name: /carlos/ });
    assert.equal(await first.getAttribute("aria-selected"), "true");
    assert.equal(await field.getAttribute("aria-activedescendant"), await first.getAttribute("id"));

    // ↓ moves to carol, Enter picks her (and does not send).
    await a.page.keyboard.press("ArrowDown");
    assert.equal(
      await menu.getByRole("option", { name: /carol/ }).getAttribute("aria-selected"),
      "true",
    );
    await a.page.keyboard.press("Enter");
    await menu.waitFor({ state: "detached" });
    assert.equal(await field.inputValue(), "Lunch? @carol ");

    // A click picks too; Escape closes the menu without touching the text.
    await a.page.keyboard.type("and @c");
    await menu.getByRole("option", { name: /carlos/ }).click();
    assert.equal(await field.inputValue(), "Lunch? @carol and @carlos ");
    await a.page.keyboard.type("@");
    await menu.waitFor();
    await a.page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    await a.page.keyboard.press("Backspace");
    await a.page.keyboard.press("Enter");

    const sent = messageItem(c.page, "Lunch?");
    await sent.waitFor();
    assert.equal(await sent.locator("mark.mention.is-me").innerText(), "@carlos");
    assert.deepEqual([...a.errors, ...c.errors], []);
  },
);
