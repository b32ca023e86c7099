/**
 * The README's pictures: a conversation as people have it (formatting, a link, a reply,
 * reactions, names and presence), on desktop and phone, light and dark, in English and in
 * Spanish. Each picture is taken once what it should show is on screen.
 * `UPDATE_SCREENSHOTS=1` writes them to docs/screenshots.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import type { Message } from "@charla/client";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { ensureWebBuild, launchBrowser, logIn, openPerson, SCREENSHOTS } from "./browser.ts";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

test("the README's screenshots show a real conversation", { timeout: 180_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, direct, post } = await chatFixture(t, ["alice", "bob"]);
  const [alice, bob] = users;
  for (const [user, display_name] of [
    [alice, "Alice Martin"],
    [bob, "Bob Okafor"],
  ] as const) {
    const named = await http(url, "PATCH", "/api/users/me", {
      token: user.token,
      body: { display_name },
    });
    assert.equal(named.status, 200);
  }
  const chat = await direct(alice, bob);
  await post(bob, chat.id, "Morning! Did you see the **new onboarding** flow?");
  const notes = await post(
    alice,
    chat.id,
    "Yes, it looks great. My notes are in [the doc](https://example.com/notes).",
  );
  const reply = await http<Message>(url, "POST", `/api/chats/${chat.id}/messages`, {
    token: bob.token,
    body: { body: "Thanks! I will fix the `signup` copy today.", reply_to_id: notes.id },
  });
  assert.equal(reply.status, 201);
  for (const [user, message, emoji] of [
    [bob, notes, "🎉"],
    [alice, reply.body, "👍"],
  ] as const) {
    const reacted = await http(
      url,
      "PUT",
      `/api/messages/${message.id}/reactions/${encodeURIComponent(emoji)}`,
      { token: user.token },
    );
    assert.equal(reacted.status < 300, true);
  }
  await post(alice, chat.id, "Lunch at 1?");

  // bob is online for alice's pictures: his page stays open.
  const bobsPage = await openPerson(browser, url, PHONE);
  await logIn(bobsPage.page, "bob");

  const views = [
    { file: "chat.png", viewport: DESKTOP, colorScheme: "light", locale: "en-US" },
    { file: "chat-dark.png", viewport: DESKTOP, colorScheme: "dark", locale: "en-US" },
    { file: "chat-phone.png", viewport: PHONE, colorScheme: "light", locale: "en-US" },
    { file: "chat-phone-dark-es.png", viewport: PHONE, colorScheme: "dark", locale: "es-ES" },
    { file: "chat-es.png", viewport: DESKTOP, colorScheme: "light", locale: "es-ES" },
  ] as const;
  for (const view of views) {
    const person = await openPerson(browser, url, view.viewport, view.locale);
    const page = person.page;
    await page.emulateMedia({ colorScheme: view.colorScheme });
    if (view.locale === "es-ES") {
      await page.getByLabel("Usuario").fill("alice");
      await page.getByLabel("Contraseña").fill("correct-horse-battery");
      await page.getByRole("button", { name: "Entrar" }).click();
    } else {
      await logIn(page, "alice");
    }
    await page.getByRole("button", { name: /Bob Okafor/ }).click();
    const spanish = view.locale === "es-ES";
    const item = (text: string) =>
      page
        .getByRole("list", { name: spanish ? "Mensajes" : "Messages" })
        .getByRole("listitem")
        .filter({ hasText: text });
    await item("Lunch at 1?").waitFor();
    // What the picture is for: formatting, the reply's quote, both reactions.
    await item("Did you see").locator("strong", { hasText: "new onboarding" }).waitFor();
    await item("fix the").locator(".reply-quote", { hasText: "My notes" }).waitFor();
    await item("fix the").locator(".reaction", { hasText: "👍" }).waitFor();
    await item("My notes are in").locator(".reaction", { hasText: "🎉" }).waitFor();
    await page
      .locator(".chat-header")
      .getByText(/online|en línea/)
      .waitFor();
    await page.mouse.move(1, 1); // no hover effect in the picture
    await page.screenshot({ path: path.join(SCREENSHOTS, view.file) });
    assert.deepEqual(person.errors, []);
    await person.context.close();
  }
});
