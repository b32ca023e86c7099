/**
 * Replies, reactions and mentions between people in real browsers: a reply shows its quote
 * (and a click on it brings the original, loading older history when needed), reactions
 * count and say who, a click on one's own takes it back, and a mention is highlighted and
 * counted in the chat list.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  logIn,
  messageItem,
  openPerson,
  SCREENSHOTS,
  sendWithEnter,
  waitUntil,
} from "./browser.ts";

test("replies, reactions and mentions", { timeout: 180_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, group, direct, post } = await chatFixture(t, ["alice", "bob", "carol"]);
  const [alice, bob, carol] = users;
  const team = await group(alice, [bob, carol], "Team");
  const aside = await direct(bob, alice);
  await post(alice, aside.id, "psst");
  const original = await post(alice, team.id, "Where do we meet?");
  let last = original;
  for (let i = 1; i <= 60; i++) last = await post(carol, team.id, `Filler ${i}`);
  for (const reader of [alice, bob]) {
    await http(url, "POST", `/api/chats/${team.id}/read`, {
      token: reader.token,
      body: { seq: last.seq },
    });
  }

  const a = await openPerson(browser, url);
  const b = await openPerson(browser, url);
  await logIn(a.page, "alice");
  await logIn(b.page, "bob");
  for (const { page } of [a, b]) {
    await page.getByRole("button", { name: /Team/ }).click();
    await messageItem(page, "Filler 60").waitFor();
  }

  // Bob answers carol's last message: the quote above the composer, then in the bubble.
  const filler = messageItem(b.page, "Filler 60");
  await filler.hover();
  await filler.getByRole("button", { name: "Reply" }).click();
  await b.page.getByText("Replying to carol").waitFor();
  await sendWithEnter(b.page, "At the cafe");
  await b.page.getByText("Replying to carol").waitFor({ state: "detached" });
  for (const { page } of [a, b]) {
    const reply = messageItem(page, "At the cafe");
    await reply.getByRole("button", { name: /In reply to carol Filler 60/ }).waitFor();
  }

  // A reply to a message far up: its quote brings the original into view.
  const answer = await http(url, "POST", `/api/chats/${team.id}/messages`, {
    token: carol.token,
    body: { body: "By the fountain", reply_to_id: original.id },
  });
  assert.equal(answer.status, 201);
  const quote = messageItem(a.page, "By the fountain").getByRole("button", {
    name: /In reply to alice Where do we meet\?/,
  });
  await quote.click();
  const first = messageItem(a.page, "Where do we meet?").filter({
    hasNot: a.page.locator(".reply-quote"),
  });
  await first.waitFor();
  await waitUntil(
    a.page,
    `(() => {
    const el = document.getElementById("msg-${original.id}").getBoundingClientRect();
    const list = document.querySelector(".messages").getBoundingClientRect();
    return el.top >= list.top && el.bottom <= list.bottom;
  })()`,
  );

  // Alice reacts to bob's reply; bob sees it with who, adds his own, then takes it back.
  const mine = messageItem(a.page, "At the cafe");
  await mine.scrollIntoViewIfNeeded();
  await mine.hover();
  await mine.getByRole("button", { name: "Add a reaction" }).click();
  await mine.getByRole("button", { name: "React with 👍" }).click();
  const chip = messageItem(b.page, "At the cafe").getByRole("button", { name: "👍 1: alice" });
  await chip.waitFor();
  assert.equal(await chip.getAttribute("aria-pressed"), "false");
  await chip.click();
  const both = messageItem(b.page, "At the cafe").getByRole("button", { name: "👍 2: alice, You" });
  await both.waitFor();
  assert.equal(await both.getAttribute("aria-pressed"), "true");
  await messageItem(a.page, "At the cafe")
    .getByRole("button", { name: "👍 2: You, bob" })
    .waitFor();
  await b.page.screenshot({ path: path.join(SCREENSHOTS, "rich.png") });
  await both.click();
  await messageItem(a.page, "At the cafe").getByRole("button", { name: "👍 1: You" }).waitFor();

  // A mention of bob while he is in another chat: counted in the list, highlighted in the chat.
  await b.page.getByRole("button", { name: /alice/ }).first().click();
  await b.page.getByRole("heading", { name: "alice", exact: true }).waitFor();
  await post(carol, team.id, "@bob can you bring the keys?");
  const row = b.page.getByRole("button", { name: /Team/ });
  await row.filter({ hasText: "1 mention" }).waitFor();
  await row.click();
  const mark = messageItem(b.page, "bring the keys").locator("mark.mention.is-me");
  assert.equal(await mark.innerText(), "@bob");
  assert.deepEqual([...a.errors, ...b.errors], []);
});
