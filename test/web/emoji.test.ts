/**
 * The searchable emoji picker behind a message's quick reactions, as two people use it, each
 * in their own language (names, search words and group names from emojibase's `en` or `es`
 * data, fetched from our server when the picker first opens, each browser only its own):
 * Alice, in English, finds nothing for "fuego" and 🔥 by "fire" (first, so Enter takes it);
 * Bob, in Spanish, finds ❤️ by "corazon" typed without the accent and sees its Spanish name,
 * and 🔥 by "fuego" with the keyboard, ahead of ❤️‍🔥 "corazón en llamas" tagged "fuego".
 * Both see every reaction.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chatFixture } from "../support/fixture.ts";
import type { Locator, Page } from "playwright-core";
import { ensureWebBuild, launchBrowser, messageItem, openPerson, PASSWORD } from "./browser.ts";

/** `messageItem` for a page in Spanish, whose message list is "Mensajes". */
const mensaje = (page: Page, text: string) =>
  page.getByRole("list", { name: "Mensajes" }).getByRole("listitem").filter({ hasText: text });

/** The name of the first emoji the picker offers: what Enter in its search field picks. */
const firstChoice = (picker: Locator) =>
  picker.locator(".emoji-choice").first().getAttribute("aria-label");

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
    // What each browser fetches of the emoji data, from when it opens the page.
    const fetched = { a: [] as string[], b: [] as string[] };
    for (const [person, list] of [
      [a, fetched.a],
      [b, fetched.b],
    ] as const) {
      person.page.on("request", (request) => {
        const { pathname } = new URL(request.url());
        if (pathname.startsWith("/emoji/")) list.push(pathname);
      });
    }
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
    assert.deepEqual(fetched, { a: [], b: [] }, "no emoji data before the picker opens");

    // Alice, in English: the quick row, "More emoji"; a Spanish word finds nothing, "fire"
    // finds 🔥 first among the fire engine and the fireworks, and Enter reacts with it.
    const mine = messageItem(a.page, "Dinner");
    await mine.hover();
    await mine.getByRole("button", { name: "Add a reaction" }).click();
    await mine.getByRole("button", { name: "More emoji" }).click();
    const picker = a.page.getByRole("dialog", { name: "Emoji" });
    await picker.getByRole("region", { name: "Smileys & emotion" }).waitFor();
    await picker.getByRole("button", { name: "grinning face", exact: true }).waitFor();
    await picker.getByRole("searchbox", { name: "Search emoji" }).fill("fuego");
    await picker.getByText("No emoji by that name.").waitFor();
    await picker.getByRole("searchbox", { name: "Search emoji" }).fill("fire");
    await picker.getByRole("button", { name: "fire engine", exact: true }).waitFor();
    assert.equal(await firstChoice(picker), "fire");
    await a.page.keyboard.press("Enter");
    await picker.waitFor({ state: "detached" });
    await mensaje(b.page, "Dinner").getByRole("button", { name: "🔥 1: alice" }).waitFor();

    // Bob, in Spanish: group names and emoji names in Spanish; "corazon" (no accent) finds
    // the red heart by its Spanish name, a click reacts with it.
    const theirs = mensaje(b.page, "Dinner");
    await theirs.hover();
    await theirs.getByRole("button", { name: "Añadir una reacción" }).click();
    await theirs.getByRole("button", { name: "Más emojis" }).click();
    const selector = b.page.getByRole("dialog", { name: "Emojis" });
    await selector.getByRole("region", { name: "Emoticonos y emoción" }).waitFor();
    await selector.getByRole("button", { name: "cara sonriendo", exact: true }).waitFor();
    assert.equal(await selector.getByRole("button", { name: "grinning face" }).count(), 0);
    await selector.getByRole("searchbox", { name: "Buscar emoji" }).fill("corazon");
    await selector.getByRole("button", { name: "corazón rojo", exact: true }).click();
    await selector.waitFor({ state: "detached" });
    await messageItem(a.page, "Dinner").getByRole("button", { name: "❤️ 1: bob" }).waitFor();

    // "fuego": 🔥 "fuego" comes first, ahead of ❤️‍🔥 "corazón en llamas" (tagged fuego, and
    // before it in emoji order); ↓ into the results, Enter.
    await theirs.hover();
    await theirs.getByRole("button", { name: "Añadir una reacción" }).click();
    await theirs.getByRole("button", { name: "Más emojis" }).click();
    await selector.getByRole("searchbox", { name: "Buscar emoji" }).fill("fuego");
    await selector.getByRole("button", { name: "corazón en llamas", exact: true }).waitFor();
    await b.page.keyboard.press("ArrowDown");
    assert.equal(
      await b.page.evaluate("document.activeElement.getAttribute('aria-label')"),
      "fuego",
    );
    await b.page.keyboard.press("Enter");
    await messageItem(a.page, "Dinner").getByRole("button", { name: "🔥 2: You, bob" }).waitFor();
    await mensaje(b.page, "Dinner").getByRole("button", { name: "🔥 2: alice, Tú" }).waitFor();
    // Each browser fetched only its own language's data, once.
    assert.deepEqual(fetched, { a: ["/emoji/en.json"], b: ["/emoji/es.json"] });
    assert.deepEqual([...a.errors, ...b.errors], []);
  },
);
