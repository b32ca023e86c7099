/**
 * Search over all chats, as two people use it: Ctrl+K, results with their chat, sender and
 * the words around the match; choosing one (by click or by keyboard) opens its chat at the
 * message with the history around it loaded (not the whole chat), and the way back to the
 * present brings what arrived meanwhile.
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
  waitUntil,
} from "./browser.ts";

test(
  "Ctrl+K finds a message in any chat and opens it in place",
  { timeout: 150_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    const { url, users, group, direct, post } = await chatFixture(t, ["alice", "bob"]);
    const [alice, bob] = users;
    const team = await group(alice, [bob], "Team");
    const aside = await direct(alice, bob);
    const picnic = await post(
      alice,
      team.id,
      "Some context first, so that the snippet has to cut the start of this long message: " +
        "the picnic is on Sunday at the Retiro park, by the lake, bring something to share",
    );
    let last = picnic;
    for (let i = 1; i <= 120; i++) last = await post(i % 2 ? alice : bob, team.id, `Filler ${i}`);
    await http(url, "POST", `/api/chats/${team.id}/read`, {
      token: bob.token,
      body: { seq: last.seq },
    });
    await post(alice, aside.id, "¿Un café después del trabajo?");

    const b = await openPerson(browser, url);
    await b.page.getByLabel("Username").fill("bob");
    await b.page.getByLabel("Password").fill(PASSWORD);
    await b.page.getByRole("button", { name: "Log in" }).click();
    await b.page.getByRole("button", { name: /Team/ }).click();
    await messageItem(b.page, "Filler 120").waitFor();

    // Ctrl+K from the message field: results show the chat, who wrote it and the match.
    await b.page.keyboard.press("Control+k");
    const dialog = b.page.getByRole("dialog", { name: "Search messages" });
    const field = dialog.getByRole("combobox", { name: "Search messages" });
    await field.fill("PICNIC retiro");
    const result = dialog.getByRole("option").filter({ hasText: "Team" });
    await result.waitFor();
    assert.equal(await dialog.getByRole("option").count(), 1);
    const text = await result.innerText();
    assert.match(text, /alice/);
    assert.match(text, /^…|\n…/m, "a long message is cut to the words around the match");
    assert.deepEqual(await result.locator("mark").allInnerTexts(), ["picnic", "Retiro"]);
    await b.page.screenshot({ path: path.join(SCREENSHOTS, "search.png") });

    // A click opens the chat at the message, only the history around it loaded.
    await result.click();
    await dialog.waitFor({ state: "detached" });
    await waitUntil(
      b.page,
      `(() => {
      const el = document.getElementById("msg-${picnic.id}");
      if (!el) return false;
      const box = el.getBoundingClientRect();
      const list = document.querySelector(".messages").getBoundingClientRect();
      return box.top >= list.top && box.bottom <= list.bottom;
    })()`,
    );
    assert.equal(await messageItem(b.page, "Filler 120").count(), 0);
    assert.ok((await messageItem(b.page, "Filler").count()) <= 30);

    // What alice sends meanwhile waits below; the jump button brings the present back.
    await post(alice, team.id, "Who brings the blanket?");
    await b.page.getByRole("button", { name: /Jump to/ }).click();
    await messageItem(b.page, "Who brings the blanket?").waitFor();
    await messageItem(b.page, "Filler 120").waitFor();

    // By keyboard, across chats and accents: "cafe" finds "café" in the direct chat.
    await b.page.getByRole("button", { name: "Search messages" }).click();
    await b.page.keyboard.type("cafe");
    await dialog.getByRole("option").filter({ hasText: "café" }).waitFor();
    await b.page.keyboard.press("ArrowDown");
    await b.page.keyboard.press("Enter");
    await b.page.getByRole("heading", { name: "alice", exact: true }).waitFor();
    await messageItem(b.page, "¿Un café después del trabajo?").waitFor();
    assert.deepEqual(b.errors, []);
  },
);
