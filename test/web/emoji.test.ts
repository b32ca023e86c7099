/**
 * The searchable emoji picker behind a message's quick reactions, as two people use it: one
 * in English finds 🍕 by name and clicks it, the other, in Spanish, finds 🐱 by its Spanish
 * name with the keyboard; both see both reactions. The picker's code and data are fetched
 * only when it first opens.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chatFixture } from "../support/fixture.ts";
import type { Page } from "playwright-core";
import { ensureWebBuild, launchBrowser, messageItem, openPerson, PASSWORD } from "./browser.ts";

/** `messageItem` for a page in Spanish, whose message list is "Mensajes". */
const mensaje = (page: Page, text: string) =>
  page.getByRole("list", { name: "Mensajes" }).getByRole("listitem").filter({ hasText: text });

test(
  "reactions from the searchable emoji picker, in English and Spanish",
  { timeout: 120_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    const { url, users, direct, post } = await chatFixture(t, ["alice", "bob"]);
    const [alice, bob] = users;
    const chat = await direct(alice, bob);
    await post(alice, chat.id, "Dinner at my place tonight?");

    const a = await openPerson(browser, url);
    const b = await openPerson(browser, url, undefined, "es-ES");
    const fetched: string[] = [];
    a.page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
    for (const [person, name, login] of [
      [a, "alice", "Log in"],
      [b, "bob", "Entrar"],
    ] as const) {
      await person.page.getByLabel(name === "bob" ? "Usuario" : "Username").fill(name);
      await person.page.getByLabel(name === "bob" ? "Contraseña" : "Password").fill(PASSWORD);
      await person.page.getByRole("button", { name: login }).click();
      await person.page.getByRole("button", { name: name === "bob" ? /alice/ : /bob/ }).click();
      await (name === "bob" ? mensaje : messageItem)(person.page, "Dinner").waitFor();
    }
    assert.ok(
      !fetched.some((p) => p.startsWith("/emoji/")),
      "no emoji data before the picker opens",
    );

    // Alice: the quick row, "More emoji", a search by name, a click.
    const mine = messageItem(a.page, "Dinner");
    await mine.hover();
    await mine.getByRole("button", { name: "Add a reaction" }).click();
    await mine.getByRole("button", { name: "More emoji" }).click();
    const picker = a.page.getByRole("dialog", { name: "Emoji" });
    await picker.getByRole("button", { name: "grinning face", exact: true }).waitFor();
    assert.ok(fetched.includes("/emoji/en.json"));
    await picker.getByLabel("Search emoji").fill("pizza");
    await picker.getByRole("button", { name: "pizza", exact: true }).click();
    await picker.waitFor({ state: "detached" });
    await mensaje(b.page, "Dinner").getByRole("button", { name: "🍕 1: alice" }).waitFor();

    // Bob, in Spanish: search by the Spanish name, ↓ into the results, Enter.
    const theirs = mensaje(b.page, "Dinner");
    await theirs.hover();
    await theirs.getByRole("button", { name: "Añadir una reacción" }).click();
    await theirs.getByRole("button", { name: "Más emojis" }).click();
    const selector = b.page.getByRole("dialog", { name: "Emojis" });
    await selector.getByLabel("Buscar emoji").fill("gato mascota");
    await selector.getByRole("button", { name: "cara de gato", exact: true }).waitFor();
    await b.page.keyboard.press("ArrowDown");
    assert.equal(
      await b.page.evaluate("document.activeElement.getAttribute('aria-label')"),
      "cara de gato",
    );
    await b.page.keyboard.press("Enter");
    await messageItem(a.page, "Dinner").getByRole("button", { name: "🐱 1: bob" }).waitFor();
    await mensaje(b.page, "Dinner").getByRole("button", { name: "🐱 1: Tú" }).waitFor();
    assert.deepEqual([...a.errors, ...b.errors], []);
  },
);
