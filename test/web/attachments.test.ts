/**
 * Files in the browser: alice attaches a picture (the paperclip), a PDF (dropped on the
 * chat) and a file she then removes, and sends them with a line of text; then a picture
 * alone, pasted. Bob sees the thumbnails in boxes sized before they load, opens one full
 * size in the viewer (Esc closes it) and downloads the PDF.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { chatFixture } from "../support/fixture.ts";
import { solidImage } from "../support/images.ts";
import { ensureWebBuild, launchBrowser, logIn, messageItem, openPerson } from "./browser.ts";

const PDF = Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n");

/** Logs in and opens the direct chat with `peer`. */
async function openChat(page: Page, username: string, peer: string): Promise<void> {
  await logIn(page, username);
  await page.locator(".chat-item").filter({ hasText: peer }).first().click();
  await page.getByRole("heading", { name: peer, exact: true }).waitFor();
}

/** Fires `type` (drop or paste) carrying files made in the page from base64 bytes. */
async function fireWithFiles(
  page: Page,
  selector: string,
  type: "drop" | "paste",
  files: { name: string; type: string; base64: string }[],
): Promise<void> {
  await page.locator(selector).evaluate(
    (target, { type, files }) => {
      // The test's types have no DOM: the page's constructors, typed just enough.
      type Ctor = new (type: string, init: object) => Event;
      const page = globalThis as unknown as {
        ClipboardEvent: Ctor;
        DragEvent: Ctor;
        DataTransfer: new () => { items: { add(file: File): void } };
      };
      const transfer = new page.DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], f.name, { type: f.type }));
      }
      const event =
        type === "paste"
          ? new page.ClipboardEvent("paste", {
              clipboardData: transfer,
              bubbles: true,
              cancelable: true,
            })
          : new page.DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true });
      if (type === "drop") {
        target.dispatchEvent(
          new page.DragEvent("dragenter", {
            dataTransfer: transfer,
            bubbles: true,
            cancelable: true,
          }),
        );
      }
      target.dispatchEvent(event);
    },
    { type, files },
  );
}

test("two people exchange a picture and a PDF", { timeout: 150_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, direct } = await chatFixture(t, ["alice", "bob"]);
  const [alice, bob] = users;
  await direct(alice, bob);

  const a = await openPerson(browser, url);
  const b = await openPerson(browser, url);
  await openChat(a.page, "alice", "bob");
  await openChat(b.page, "bob", "alice");

  // The paperclip opens the file picker; several files at once.
  const chooser = a.page.waitForEvent("filechooser");
  await a.page.getByRole("button", { name: "Attach files" }).click();
  await (
    await chooser
  ).setFiles([
    { name: "sunset.png", mimeType: "image/png", buffer: await solidImage(1200, 600, "png") },
    { name: "unwanted.txt", mimeType: "text/plain", buffer: Buffer.from("not this one") },
  ]);
  // Dropped anywhere on the conversation.
  await fireWithFiles(a.page, ".chat", "drop", [
    { name: "minutes.pdf", type: "application/pdf", base64: PDF.toString("base64") },
  ]);
  const tray = a.page.getByRole("list", { name: "3 files" });
  for (const name of ["sunset.png", "unwanted.txt", "minutes.pdf"]) {
    await tray.getByRole("button", { name: `Remove ${name}` }).waitFor();
  }
  await tray.getByRole("button", { name: "Remove unwanted.txt" }).click();
  await a.page.getByRole("list", { name: "2 files" }).waitFor();
  const field = a.page.getByLabel("Message", { exact: true });
  await field.fill("The notes and the view.");
  await field.press("Enter");
  await a.page.locator(".upload-tray").waitFor({ state: "detached" });

  // Bob: the thumbnail's box has the picture's shape before a byte of it arrives.
  const item = messageItem(b.page, "The notes and the view.");
  const thumb = item.getByRole("img", { name: "sunset.png" });
  await thumb.waitFor();
  assert.equal(await thumb.getAttribute("width"), "280");
  assert.equal(await thumb.getAttribute("height"), "140");
  assert.match((await thumb.getAttribute("src")) ?? "", /^\/api\/attachments\/.+\/thumbnail\?/);
  const natural = await thumb.evaluate(async (img) => {
    const picture = img as unknown as { decode(): Promise<void>; naturalWidth: number };
    await picture.decode();
    return picture.naturalWidth;
  });
  assert.ok(natural > 0 && natural <= 480, `thumbnail ${natural} px wide`);
  assert.equal(await item.getByText("unwanted.txt").count(), 0);

  // The viewer: full size, a modal dialog, Esc closes it.
  await item.getByRole("button", { name: "Open sunset.png full size" }).click();
  const viewer = b.page.getByRole("dialog", { name: "Picture viewer" });
  await viewer.waitFor();
  const full = viewer.getByRole("img", { name: "sunset.png" });
  const fullWidth = await full.evaluate(async (img) => {
    const picture = img as unknown as { decode(): Promise<void>; naturalWidth: number };
    await picture.decode();
    return picture.naturalWidth;
  });
  assert.equal(fullWidth, 1200);
  await b.page.keyboard.press("Escape");
  await viewer.waitFor({ state: "hidden" });

  // The PDF is a card with its name and size; its link downloads the same bytes.
  const card = item.getByRole("link", { name: "Download minutes.pdf" });
  await card.getByText(`${PDF.length} bytes`).waitFor();
  const downloading = b.page.waitForEvent("download");
  await card.click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), "minutes.pdf");
  assert.deepEqual(await readFile((await download.path())!), PDF);

  // A picture alone, pasted into the field: a message with no text.
  await fireWithFiles(a.page, "textarea", "paste", [
    {
      name: "pasted.png",
      type: "image/png",
      base64: (await solidImage(100, 300, "png")).toString("base64"),
    },
  ]);
  await a.page.getByRole("button", { name: "Remove pasted.png" }).waitFor();
  await a.page.getByRole("button", { name: "Send" }).click();
  const pasted = b.page.getByRole("img", { name: "pasted.png" });
  await pasted.waitFor();
  assert.equal(await pasted.getAttribute("width"), "93");
  assert.equal(await pasted.getAttribute("height"), "280");

  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
});

test(
  "a file over the server's upload limit is refused before a byte is sent",
  { timeout: 120_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    // The operator's MAX_UPLOAD_BYTES, not the contract's default: the page asks the server.
    const limit = 512 * 1024;
    const { url, users, direct } = await chatFixture(t, ["alice", "bob"], {
      maxUploadBytes: limit,
    });
    const [alice, bob] = users;
    await direct(alice, bob);
    const a = await openPerson(browser, url);
    await openChat(a.page, "alice", "bob");
    const uploads: string[] = [];
    a.page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/uploads") uploads.push(request.method());
    });

    // Pasted, a file made in the page.
    await a.page.locator("textarea").evaluate((field, size) => {
      type Ctor = new (type: string, init: object) => Event;
      const page = globalThis as unknown as {
        ClipboardEvent: Ctor;
        DataTransfer: new () => { items: { add(file: File): void } };
      };
      const transfer = new page.DataTransfer();
      transfer.items.add(new File([new Uint8Array(size)], "huge.bin"));
      field.dispatchEvent(
        new page.ClipboardEvent("paste", {
          clipboardData: transfer,
          bubbles: true,
          cancelable: true,
        }),
      );
    }, limit + 1);
    await a.page
      .getByRole("alert")
      .filter({ hasText: "huge.bin is too large: a file may be at most 512 KB. Nothing was sent." })
      .waitFor();
    assert.equal(await a.page.getByRole("button", { name: "Cancel huge.bin" }).count(), 0);

    // A file within the limit still goes: once it is up, the big one had sent nothing.
    const next = a.page.waitForEvent("filechooser");
    await a.page.getByRole("button", { name: "Attach files" }).click();
    await (
      await next
    ).setFiles([{ name: "small.txt", mimeType: "text/plain", buffer: Buffer.from("fits") }]);
    await a.page.getByRole("button", { name: "Remove small.txt" }).waitFor();
    assert.deepEqual(uploads, ["POST"]);
    assert.deepEqual(a.errors, []);
  },
);

test(
  "an upload cancelled on its way goes away and sends nothing",
  { timeout: 120_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    const { url, users, direct } = await chatFixture(t, ["alice", "bob"]);
    const [alice, bob] = users;
    await direct(alice, bob);
    const a = await openPerson(browser, url);
    await openChat(a.page, "alice", "bob");
    // The upload is held in the browser: never passed on to the server, never answered.
    let held = 0;
    await a.page.route("**/api/uploads", () => {
      held += 1;
    });
    const failed = a.page.waitForEvent(
      "requestfailed",
      (request) => new URL(request.url()).pathname === "/api/uploads",
    );

    const chooser = a.page.waitForEvent("filechooser");
    await a.page.getByRole("button", { name: "Attach files" }).click();
    await (
      await chooser
    ).setFiles([{ name: "slow.txt", mimeType: "text/plain", buffer: Buffer.from("held back") }]);
    await a.page.getByRole("progressbar", { name: "Uploading slow.txt" }).waitFor();
    await a.page.getByRole("button", { name: "Cancel slow.txt" }).click();
    await a.page.getByRole("list", { name: "1 file" }).waitFor({ state: "detached" });
    // The browser gave the request up: nothing was passed on to the server.
    await failed;
    assert.equal(held, 1);
    assert.equal(await a.page.getByRole("alert").count(), 0);
    assert.deepEqual(a.errors, []);
  },
);
