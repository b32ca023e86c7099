/**
 * A chat of 5,000 messages: scrolled up through all of it, page after page, the list keeps
 * a bounded number of message rows in the DOM (a window of them, web/src/hooks/
 * useMessageScroll.ts) while the very first message can still be reached and seen; the way
 * back to the latest and a search result far back land in that window too.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { seededBody, seedHistory } from "../support/history-seed.ts";
import { ensureWebBuild, launchBrowser, logIn, openPerson, waitUntil } from "./browser.ts";

const COUNT = 5000;
/** The web client's WINDOW_MAX: no more message rows than this are in the DOM. */
const MAX_ROWS = 150;
const PICNIC = "The picnic is by the lake, remember";

/** The message rows in the DOM and the numbers of the oldest and newest of them. */
function rendered(page: Page) {
  return page.locator(".message-list").evaluate((list) => {
    const rows = [...list.querySelectorAll(":scope > li.message")];
    const numbers = rows
      .map((row) => row.querySelector(".message-body")?.textContent ?? "")
      .map((body) => Number(/^Message number (\d+)/.exec(body)?.[1]))
      .filter((n) => n > 0);
    return { rows: rows.length, oldest: numbers[0]!, newest: numbers[numbers.length - 1]! };
  });
}

/** The body of the message whose text is exactly `text`. */
function body(page: Page, text: string) {
  return page.getByRole("list", { name: "Messages" }).getByText(text, { exact: true });
}

/** Whether the message is inside the scrolled conversation's visible part. */
function inView(page: Page, text: string): Promise<boolean> {
  return body(page, text).evaluate((el) => {
    const list = el.closest(".messages")!.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return box.bottom > list.top && box.top < list.bottom;
  });
}

test(
  "5,000 messages: the DOM holds a window of them, and the first one is reachable",
  { timeout: 300_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    const { url, app, users, direct } = await chatFixture(t, ["ana", "ben"]);
    const [ana, ben] = users;
    const chat = await direct(ana, ben);
    const seeded = await seedHistory(app, chat.id, [ana, ben], COUNT, (i) =>
      i === 30 ? PICNIC : seededBody(i),
    );
    const last = seeded.at(-1)!;
    await http(url, "POST", `/api/chats/${chat.id}/read`, {
      token: ben.token,
      body: { seq: last.seq },
    });

    const { page, errors } = await openPerson(browser, url);
    await logIn(page, "ben");
    await page.getByRole("button", { name: /ana/ }).click();
    await body(page, `Message number ${COUNT}`).waitFor();

    // Up to the top, again and again: older messages come in (rendered from what is loaded,
    // or a page fetched), the rows stay bounded, until the beginning of the conversation.
    const beginning = page.getByText("This is the beginning of the conversation.");
    const list = page.locator(".messages");
    let now = await rendered(page);
    let rounds = 0;
    while (!(await beginning.isVisible())) {
      assert.ok(now.rows <= MAX_ROWS, `${now.rows} message rows in the DOM`);
      assert.ok(++rounds < 1000, "the beginning never came");
      await list.evaluate((el) => el.scrollTo({ top: 0 }));
      const before = now.oldest;
      await waitUntil(
        page,
        `(() => {
          const first = [...document.querySelectorAll(".message-list > li.message")]
            .map((row) => row.querySelector(".message-body")?.textContent ?? "")
            .map((body) => Number(/^Message number (\\d+)/.exec(body)?.[1]))
            .find((n) => n > 0);
          return first < ${before} || !!document.querySelector(".messages .history-note:not([role])");
        })()`,
      );
      now = await rendered(page);
    }
    // All 5,000 loaded, the first one on screen, and still only a window of them rendered.
    await body(page, "Message number 1").waitFor();
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    assert.ok(await inView(page, "Message number 1"));
    now = await rendered(page);
    assert.equal(now.oldest, 1);
    assert.ok(now.rows <= MAX_ROWS, `${now.rows} message rows at the top`);
    assert.ok(now.newest < COUNT, "the newest messages are not rendered up here");

    // Back to the latest: the end is rendered again, and only the end.
    await page.getByRole("button", { name: "Jump to the latest messages" }).click();
    await body(page, `Message number ${COUNT}`).waitFor();
    await waitUntil(
      page,
      `(() => {
        const list = document.querySelector(".messages");
        return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
      })()`,
    );
    assert.ok(await inView(page, `Message number ${COUNT}`));
    now = await rendered(page);
    assert.ok(now.rows <= MAX_ROWS && now.oldest > 1, `${now.rows} rows from ${now.oldest}`);
    await page
      .getByRole("button", { name: "Jump to the latest messages" })
      .waitFor({ state: "detached" });

    // A reply to message 40 arrives: its quote brings the original, loaded but not rendered
    // down here, into the window and into view.
    const reply = await http(url, "POST", `/api/chats/${chat.id}/messages`, {
      token: ana.token,
      body: { body: "Answering an old one", reply_to_id: seeded[39]!.id },
    });
    assert.equal(reply.status, 201);
    await body(page, "Answering an old one").waitFor();
    assert.equal((await rendered(page)).oldest > 40, true);
    await page.getByRole("button", { name: /In reply to ana Message number 40\b/ }).click();
    await body(page, "Message number 40").waitFor();
    await waitUntil(
      page,
      `(() => {
        const list = document.querySelector(".messages").getBoundingClientRect();
        const box = document.getElementById("msg-${seeded[39]!.id}").getBoundingClientRect();
        return box.top >= list.top && box.bottom <= list.bottom;
      })()`,
    );
    now = await rendered(page);
    assert.ok(now.rows <= MAX_ROWS, `${now.rows} message rows around the original`);

    // A search result far back, already loaded: the chat opens there, a window around it.
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Search messages" });
    await dialog.getByRole("combobox", { name: "Search messages" }).fill("picnic lake");
    await dialog.getByRole("option").filter({ hasText: "picnic" }).click();
    await body(page, PICNIC).waitFor();
    await waitUntil(
      page,
      `(() => {
        const list = document.querySelector(".messages").getBoundingClientRect();
        const box = [...document.querySelectorAll(".message")]
          .find((m) => m.textContent.includes("picnic")).getBoundingClientRect();
        return box.bottom > list.top && box.top < list.bottom;
      })()`,
    );
    now = await rendered(page);
    assert.ok(now.rows <= MAX_ROWS, `${now.rows} message rows around the search result`);
    assert.deepEqual(errors, []);
  },
);
