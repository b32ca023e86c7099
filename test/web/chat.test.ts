/**
 * The web client in a real browser: two people in two browser contexts register, open a
 * direct chat, talk, edit, delete, see typing and read positions, get a message they missed
 * while offline, see a hostile body as plain text, and see presence change.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { startServer } from "../support/server.ts";
import {
  ensureWebBuild,
  launchBrowser,
  messageItem,
  openPerson,
  registerInUi,
  SCREENSHOTS,
  sendWithEnter,
  startDirectChat,
} from "./browser.ts";

const XSS = "<img src=x onerror=alert(1)>";

test("two people chat in real browsers", { timeout: 180_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url } = await startServer(t);

  const alice = await openPerson(browser, url, { width: 1280, height: 800 });
  const bob = await openPerson(browser, url, { width: 390, height: 844 }); // a phone
  const a = alice.page;
  const b = bob.page;

  await t.test("both register and land on their chat list", async () => {
    await registerInUi(a, "alice");
    await registerInUi(b, "bob");
    await a.screenshot({ path: path.join(SCREENSHOTS, "empty.png") });
  });

  await t.test("alice opens a direct chat with bob and they exchange messages", async () => {
    await startDirectChat(a, "bob");
    await sendWithEnter(a, "Hi Bob! Are we still on for tomorrow?");
    await messageItem(a, "Are we still on for tomorrow?").waitFor();

    // Bob's list shows the chat under alice's name, with the unread message.
    const chatButton = b.getByRole("button", { name: /alice/ });
    await chatButton.filter({ hasText: "1 unread message" }).waitFor();
    await chatButton.click();
    await messageItem(b, "Are we still on for tomorrow?").waitFor();

    // Bob answers with the Send button.
    await b.getByLabel("Message", { exact: true }).fill("Yes! 10am at the cafe.");
    await b.getByRole("button", { name: "Send" }).click();
    await messageItem(a, "Yes! 10am at the cafe.").waitFor();
    await sendWithEnter(a, "Perfect, I will bring the slides.");
    await messageItem(b, "Perfect, I will bring the slides.").waitFor();
  });

  await t.test("typing indicators and read positions reach the other side", async () => {
    await b.getByLabel("Message", { exact: true }).fill("Let me check my");
    await a.getByText("bob is typing…").first().waitFor();
    await b.getByLabel("Message", { exact: true }).fill("");
    // Bob has the chat open at the bottom: alice's last message shows as seen.
    await messageItem(a, "Perfect, I will bring the slides.").getByText("Seen").waitFor();
  });

  await t.test("alice edits her message in place and bob sees the edit live", async () => {
    const item = messageItem(a, "Hi Bob! Are we still on for tomorrow?");
    await item.hover();
    await item.getByRole("button", { name: "Edit message" }).click();
    const field = a.getByLabel("New text");
    await field.fill("Hi Bob! Are we still on for tomorrow at 10?");
    await field.press("Enter");
    await messageItem(a, "tomorrow at 10?").getByText("edited").waitFor();
    await messageItem(b, "Hi Bob! Are we still on for tomorrow at 10?")
      .getByText("edited")
      .waitFor();
    // Bob cannot edit or delete alice's messages.
    assert.equal(
      await messageItem(b, "tomorrow at 10?").getByRole("button", { name: "Edit message" }).count(),
      0,
    );
  });

  await t.test("bob deletes a message and alice sees it go", async () => {
    await sendWithEnter(b, "Oops, wrong chat");
    await messageItem(a, "Oops, wrong chat").waitFor();
    const item = messageItem(b, "Oops, wrong chat");
    await item.hover();
    await item.getByRole("button", { name: "Delete message" }).click();
    // A second step: the question, then its own Delete button.
    const question = item.getByRole("group", { name: "Delete this message for everyone?" });
    await question.getByRole("button", { name: "Cancel" }).click();
    await item.hover();
    await item.getByRole("button", { name: "Delete message" }).click();
    await question.getByRole("button", { name: "Delete", exact: true }).click();
    // Gone from the conversation and from the chat list's preview of the last message alike
    // (the text can be in both places at once, hence first(): wait until nothing matches).
    await a.getByText("Oops, wrong chat").first().waitFor({ state: "detached" });
    await b.getByText("Oops, wrong chat").first().waitFor({ state: "detached" });
    assert.ok((await a.getByText("This message was deleted").count()) >= 1);
  });

  await t.test("a hostile body is shown as text, never run as HTML", async () => {
    await sendWithEnter(a, XSS);
    const mine = messageItem(a, XSS);
    const theirs = messageItem(b, XSS);
    await mine.waitFor();
    await theirs.waitFor();
    assert.equal(await theirs.locator(".message-body").innerText(), XSS);
    assert.equal(await b.locator('[role="list"] img, ul img').count(), 0);
    assert.equal(await a.locator('[role="list"] img, ul img').count(), 0);
    assert.deepEqual(alice.dialogs, []);
    assert.deepEqual(bob.dialogs, []);
  });

  await t.test("bob misses a message while offline and gets it after reconnecting", async () => {
    await bob.context.setOffline(true);
    await b.getByText("Connection lost. Reconnecting…").waitFor();
    // Bob's page notes in which order the missed message and the end of the outage show
    // up: the message must come after the connection is back (caught up, not live).
    await b.evaluate(`(() => {
      const order = (window.charlaOrder = []);
      const note = (what, now) => now && !order.includes(what) && order.push(what);
      new MutationObserver(() => {
        const text = document.body.innerText;
        note("message", text.includes("while you were away"));
        note("online", !text.includes("Connection lost. Reconnecting…"));
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await sendWithEnter(a, "Did you get this while you were away?");
    await messageItem(a, "while you were away").waitFor();
    // What bob writes meanwhile waits, then goes out once the connection is back.
    await sendWithEnter(b, "Written on the train");
    await messageItem(b, "Written on the train").getByText("Waiting for the connection…").waitFor();
    await bob.context.setOffline(false);
    await b
      .getByText("Connection lost. Reconnecting…")
      .waitFor({ state: "detached", timeout: 20_000 });
    await messageItem(b, "Did you get this while you were away?").waitFor();
    const order = await b.evaluate<string[]>("window.charlaOrder");
    assert.deepEqual(order.slice(0, 2), ["online", "message"], "nothing arrived while offline");
    // Delivered once, not once per catch-up.
    assert.equal(await messageItem(b, "while you were away").count(), 1);
    await messageItem(a, "Written on the train").waitFor();
    await messageItem(b, "Written on the train").getByText("Waiting for the connection…").waitFor({
      state: "detached",
    });
    assert.equal(await messageItem(a, "Written on the train").count(), 1);
    assert.equal(await messageItem(b, "Written on the train").count(), 1);
    await sendWithEnter(b, "Got it, thanks!");
    await messageItem(a, "Got it, thanks!").waitFor();
  });

  await t.test("presence: alice sees bob go offline when he closes the page", async () => {
    const header = a.locator(".chat-header");
    await header.getByText("online", { exact: true }).waitFor();
    await b.close();
    await header.getByText("offline", { exact: true }).waitFor();
  });

  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});

test("the interface speaks Spanish to a Spanish browser", { timeout: 60_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url } = await startServer(t);
  const ana = await openPerson(browser, url, { width: 1280, height: 800 }, "es-ES");
  await ana.page.getByLabel("Usuario").fill("ana");
  await ana.page.getByLabel("Contraseña").fill("correct-horse-battery");
  await ana.page.getByRole("button", { name: "Registrarse" }).click();
  await ana.page.getByRole("button", { name: "Nuevo chat" }).waitFor();
  assert.equal(await ana.page.locator("html").getAttribute("lang"), "es");
});
