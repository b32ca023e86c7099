/**
 * Message formatting: the contract's Markdown subset becomes markup, links open in a new
 * tab without an opener, and nothing else does (HTML, scripts, other link schemes stay the
 * text that was typed). A few emoji alone show large.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  messageItem,
  openPerson,
  PASSWORD,
  SCREENSHOTS,
  sendWithEnter,
} from "./browser.ts";

test("formatted messages render safely", { timeout: 120_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, direct, post } = await chatFixture(t, ["alice", "bob"]);
  const [alice, bob] = users;
  const chat = await direct(alice, bob);
  await post(alice, chat.id, "**bold** _italic_ ~~gone~~ `a<b>` done");
  await post(
    alice,
    chat.id,
    "Docs at https://example.com/a?b=1 and [the guide](https://example.org/g)",
  );
  await post(alice, chat.id, "> quoted line\n\n- one\n- two\n\n1. first\n2. second");
  await post(alice, chat.id, "```\nconst x = <div>;\n```");
  await post(
    alice,
    chat.id,
    "bad [click](javascript:alert(1)) <img src=x onerror=alert(1)> <script>alert(2)</script> ![i](https://x.test/i.png) # not a heading www.example.net x@y.test",
  );
  await post(alice, chat.id, "🎉🎉");

  const { page, errors, dialogs } = await openPerson(browser, url);
  await page.getByLabel("Username").fill("bob");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("button", { name: /alice/ }).click();

  const styled = messageItem(page, "bold");
  await styled.waitFor();
  const body = styled.locator(".message-body");
  assert.equal(await body.locator("strong").innerText(), "bold");
  assert.equal(await body.locator("em").innerText(), "italic");
  assert.equal(await body.locator("del").innerText(), "gone");
  assert.equal(await body.locator("code").innerText(), "a<b>");

  const links = messageItem(page, "Docs at").locator("a");
  assert.equal(await links.count(), 2);
  for (const [i, href] of ["https://example.com/a?b=1", "https://example.org/g"].entries()) {
    assert.equal(await links.nth(i).getAttribute("href"), href);
    assert.equal(await links.nth(i).getAttribute("target"), "_blank");
    assert.equal(await links.nth(i).getAttribute("rel"), "noopener noreferrer");
  }
  assert.equal(await links.nth(1).innerText(), "the guide");

  const blocks = messageItem(page, "quoted line").locator(".message-body");
  assert.equal(await blocks.locator("blockquote").innerText(), "quoted line");
  assert.deepEqual(await blocks.locator("ul > li").allInnerTexts(), ["one", "two"]);
  assert.deepEqual(await blocks.locator("ol > li").allInnerTexts(), ["first", "second"]);
  assert.equal(
    await messageItem(page, "const x").locator("pre > code").innerText(),
    "const x = <div>;",
  );

  // Nothing outside the subset becomes markup: the text shows as typed.
  const hostile = messageItem(page, "bad").locator(".message-body");
  assert.equal(await hostile.locator("a, img, script, h1").count(), 0);
  const text = await hostile.innerText();
  for (const typed of [
    "[click](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "![i](https://x.test/i.png)",
    "# not a heading",
    "www.example.net",
    "x@y.test",
  ]) {
    assert.ok(text.includes(typed), `${typed} shows as text in: ${text}`);
  }

  assert.ok(await messageItem(page, "🎉🎉").locator(".message-body.is-jumbo").isVisible());
  assert.equal(await messageItem(page, "bold").locator(".is-jumbo").count(), 0);

  // Bob writes with formatting too, and sees it in his own bubble.
  await sendWithEnter(page, "see **this** at https://example.com");
  const mine = messageItem(page, "see this at");
  await mine.locator("strong").waitFor();
  assert.equal(await mine.locator("a").getAttribute("href"), "https://example.com");
  // The chat list previews the text without the marks.
  await page
    .getByRole("button", { name: /alice/ })
    .filter({ hasText: "You: see this at https://example.com" })
    .waitFor();
  await page.screenshot({ path: path.join(SCREENSHOTS, "formatting.png") });
  assert.deepEqual(dialogs, [], "no script ran");
  assert.deepEqual(errors, []);
});
