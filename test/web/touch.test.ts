/**
 * A phone used with a finger: no action icons beside the messages, a long press on one opens
 * its menu (targets of 44 px or more, an ARIA menu that axe accepts, Esc and a tap outside
 * close it), and reply, react, copy, edit and delete from it reach the other person, who is on
 * a desktop. A long press on a reaction says who reacted without toggling it.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  logIn,
  longPress,
  messageItem,
  openPerson,
  SCREENSHOTS,
  sendWithEnter,
  seriousViolations,
  TOUCH_PHONE,
} from "./browser.ts";

test("message actions in a long-press menu on a touch screen", { timeout: 150_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, direct, post } = await chatFixture(t, ["alice", "bob"]);
  const [alice, bob] = users;
  const chat = await direct(alice, bob);
  await post(bob, chat.id, "Lunch at noon?");
  await post(alice, chat.id, "Running late");

  const a = await openPerson(browser, url, undefined, "en-US", {
    ...TOUCH_PHONE,
    permissions: ["clipboard-read", "clipboard-write"],
  });
  const b = await openPerson(browser, url);
  await logIn(a.page, "alice");
  await logIn(b.page, "bob");
  const page = a.page;
  await page.getByRole("button", { name: /bob/ }).click();
  await b.page.getByRole("button", { name: /alice/ }).click();
  // Bob's message itself, not the reply that quotes it.
  const original = (p: typeof page) =>
    messageItem(p, "Lunch at noon?").filter({ hasNot: p.locator(".reply-quote") });
  const theirs = original(page);
  const own = messageItem(page, "Running late");
  await own.waitFor();
  assert.equal(
    await page.evaluate("matchMedia('(hover: none) and (pointer: coarse)').matches"),
    true,
  );

  // No icons beside the bubbles: not hidden until hover, not there at all.
  for (const item of [theirs, own]) {
    for (const name of ["Reply", "Add a reaction", "Edit message", "Delete message"]) {
      assert.equal(await item.getByRole("button", { name, exact: true }).count(), 0, name);
    }
  }
  assert.equal(await page.locator(".message-actions").count(), 0);

  // A long press on bob's message: the menu, its first item focused, every target ≥ 44 px.
  const menu = page.getByRole("menu", { name: "Actions for the message from bob" });
  await longPress(page, theirs.locator(".bubble"), menu);
  const items = menu.getByRole("menuitem");
  assert.deepEqual(
    await items.evaluateAll((els) =>
      els.map((el) => el.getAttribute("aria-label") ?? el.textContent),
    ),
    [
      "React with 👍",
      "React with ❤️",
      "React with 😂",
      "React with 😮",
      "React with 😢",
      "React with 🙏",
      "More emoji",
      "Reply",
      "Copy text",
      "Report message",
    ],
  );
  assert.equal(
    await page.evaluate("document.activeElement.getAttribute('aria-label')"),
    "React with 👍",
  );
  for (const box of await items.evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return {
        name: el.getAttribute("aria-label") ?? el.textContent,
        width: r.width,
        height: r.height,
      };
    }),
  )) {
    assert.ok(box.width >= 44 && box.height >= 44, `${box.name}: ${box.width}×${box.height}`);
  }
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
    assert.deepEqual(await seriousViolations(page, `message menu ${colorScheme}`), []);
    await page.screenshot({ path: path.join(SCREENSHOTS, `touch-menu-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: "light" });

  // Esc closes it and gives the focus back to the message; so does a tap outside.
  await page.keyboard.press("Escape");
  await menu.waitFor({ state: "detached" });
  assert.equal(
    await page.evaluate("document.activeElement.closest('li')?.textContent.includes('Lunch')"),
    true,
  );
  await longPress(page, theirs.locator(".bubble"), menu);
  await page.touchscreen.tap(195, 120);
  await menu.waitFor({ state: "detached" });

  // Reply from the menu: bob sees the quote.
  await longPress(page, theirs.locator(".bubble"), menu);
  await menu.getByRole("menuitem", { name: "Reply" }).tap();
  await page.getByText("Replying to bob").waitFor();
  await sendWithEnter(page, "Yes, the usual place");
  await messageItem(b.page, "Yes, the usual place")
    .getByRole("button", { name: /In reply to bob Lunch at noon\?/ })
    .waitFor();

  // React from the menu; bob adds his own to the same chip.
  await longPress(page, theirs.locator(".bubble"), menu);
  await menu.getByRole("menuitem", { name: "React with 👍" }).tap();
  await menu.waitFor({ state: "detached" });
  await original(b.page).getByRole("button", { name: "👍 1: alice" }).click();
  const chip = theirs.getByRole("button", { name: "👍 2: You, bob" });
  await chip.waitFor();

  // A long press on the chip says who, and does not take alice's reaction back: bob sees
  // the ❤️ she adds next (from the "+" picker) with the 👍 still at 2.
  await longPress(page, chip, theirs.getByRole("status").filter({ hasText: "You, bob" }));
  await longPress(page, theirs.locator(".bubble"), menu);
  await menu.getByRole("menuitem", { name: "More emoji" }).tap();
  const picker = page.getByRole("dialog", { name: "Emoji" });
  await picker.getByRole("searchbox").fill("red heart");
  await picker.getByRole("button", { name: "red heart", exact: true }).tap();
  const seen = original(b.page);
  await seen.getByRole("button", { name: "❤️ 1: alice" }).waitFor();
  await seen.getByRole("button", { name: "👍 2: alice, You" }).waitFor();

  // A finger that moves is scrolling: that press opens nothing. Its timer would have fired
  // before the next long press's, so one menu, the next one's, shows it was cancelled.
  const bubble = await own.locator(".bubble").boundingBox();
  const cdp = await page.context().newCDPSession(page);
  const at = { x: bubble!.x + 20, y: bubble!.y + bubble!.height / 2 };
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [at] });
  await cdp.send("Input.dispatchTouchEvent", {
    type: "touchMove",
    touchPoints: [{ x: at.x + 40, y: at.y }],
  });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await longPress(page, theirs.locator(".bubble"), menu);
  assert.equal(await page.getByRole("menu").count(), 1);

  // Copy text puts the message on the clipboard.
  await menu.getByRole("menuitem", { name: "Copy text" }).tap();
  await theirs.getByRole("status").filter({ hasText: "Copied" }).waitFor();
  assert.equal(await page.evaluate("navigator.clipboard.readText()"), "Lunch at noon?");

  // Her own message: edit and delete, no report.
  const mine = page.getByRole("menu", { name: "Actions for your message" });
  await longPress(page, own.locator(".bubble"), mine);
  assert.equal(await mine.getByRole("menuitem", { name: "Report message" }).count(), 0);
  await mine.getByRole("menuitem", { name: "Edit message" }).tap();
  const field = page.getByRole("textbox", { name: "New text" });
  await field.fill("Running 10 minutes late");
  await field.press("Enter");
  await messageItem(b.page, "Running 10 minutes late").getByText("edited").waitFor();

  const edited = messageItem(page, "Running 10 minutes late");
  await edited.getByText("edited").waitFor();
  await longPress(page, edited.locator(".bubble"), mine);
  await mine.getByRole("menuitem", { name: "Delete message" }).tap();
  const question = page.getByRole("alertdialog", { name: "Delete this message for everyone?" });
  assert.equal(
    await page.evaluate("document.activeElement.textContent"),
    "Delete",
    "the confirmation's own button has the focus",
  );
  const box = await question.getByRole("button", { name: "Delete", exact: true }).boundingBox();
  assert.ok(box!.height >= 44);
  await question.getByRole("button", { name: "Delete", exact: true }).tap();
  await b.page.getByText("This message was deleted").waitFor();
  await page.getByText("This message was deleted").waitFor();
  assert.equal(await messageItem(b.page, "Running 10 minutes late").count(), 0);
  assert.deepEqual([...a.errors, ...b.errors], []);
});
