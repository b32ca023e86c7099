/**
 * A person whose browser is in Spanish goes through every main screen — the sign-in form and
 * its errors, the chat list, a chat with a reply and a reaction, search (Ctrl+K), the
 * notification settings, the profile and the new chat dialog — on a desktop and on a touch
 * phone, and never sees (nor hears from a screen reader) a string of the English table; axe
 * finds no serious or critical violation on any of those screens in Spanish.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { tables } from "../../web/src/i18n.ts";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  longPress,
  openPerson,
  PASSWORD,
  seriousViolations,
  TOUCH_PHONE,
} from "./browser.ts";

const HOLE = "\u0000";

/**
 * The fixed text of a string table: each string, and the words around the arguments of each
 * function (called with a placeholder, with 1, and with a list, for every plural branch).
 */
function fixedText(table: unknown): Set<string> {
  const out = new Set<string>();
  const add = (s: string): void => {
    for (const piece of s.split(new RegExp(`${HOLE}|\\d+`))) {
      const trimmed = piece.replace(/^[\s:,.·()«»“”"]+|[\s:,.·()«»“”"]+$/gu, "");
      if (/\p{L}{2}/u.test(trimmed)) out.add(trimmed);
    }
  };
  const walk = (value: unknown): void => {
    if (typeof value === "string") add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "function") {
      const fn = value as (...args: unknown[]) => unknown;
      for (const arg of [HOLE, 1, [HOLE, HOLE]]) {
        try {
          const s = fn(...Array.from({ length: fn.length }, () => arg));
          if (typeof s === "string") add(s);
        } catch {
          // this argument is not of the function's kind (a list where a name goes)
        }
      }
    } else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(table);
  return out;
}

const spanish = fixedText(tables.es);
/** The English the Spanish client must not show: what the two tables do not share. */
const ENGLISH = [...fixedText(tables.en)].filter((s) => !spanish.has(s));

/**
 * Each English string on the page: in its visible text, the tab's title, and what assistive
 * technology reads (aria-label, title, placeholder, alt). Matched as whole words.
 */
async function englishShown(page: Page): Promise<string[]> {
  const texts = await page.evaluate<string[]>(`(() => {
    const texts = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll("*")) {
      for (const name of ${JSON.stringify(READ_ALOUD)}) {
        const value = el.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    return texts;
  })()`);
  return englishIn(texts.join("\n"));
}

/** The English strings in `text`, each as whole words. */
function englishIn(text: string): string[] {
  return ENGLISH.filter((s) =>
    new RegExp(`(?<!\\p{L})${escapeRegExp(s)}(?!\\p{L})`, "u").test(text),
  );
}

const READ_ALOUD = ["aria-label", "aria-description", "title", "placeholder", "alt"];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The message list item whose text contains `text`, the list named in Spanish. */
function messageItem(page: Page, text: string) {
  return page
    .getByRole("list", { name: tables.es.messages })
    .getByRole("listitem")
    .filter({ hasText: text });
}

/** No English on `screen` and no serious axe violation, in light and dark. */
async function checkScreen(page: Page, screen: string): Promise<void> {
  assert.deepEqual(await englishShown(page), [], `English on ${screen}`);
  for (const colorScheme of ["light", "dark"] as const) {
    // Without transitions: axe would read the colours half-way from one scheme to the other.
    await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
    assert.deepEqual(await seriousViolations(page, `${screen} (${colorScheme})`), []);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("the English table's strings are found, so that an absence means something", () => {
  for (const s of ["Log in", "Replying to", "is typing…", "mentions", "Seen by", "unread messages"])
    assert.ok(ENGLISH.includes(s), s);
  for (const s of ["Charla", "Chats"]) assert.ok(!ENGLISH.includes(s), s);
  assert.deepEqual(englishIn("Respondiendo a bruno · Log in (3 unread messages)"), [
    "Log in",
    "unread messages",
  ]);
  assert.deepEqual(englishIn("Entrar · Chats · Charla · Login"), []);
});

test("the whole client in Spanish, on a desktop", { timeout: 180_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, direct, group, post } = await chatFixture(t, ["ana", "bruno"]);
  const [ana, bruno] = users;
  const chat = await direct(bruno, ana);
  await group(bruno, [ana], "Club de lectura");
  await post(bruno, chat.id, "¿Comemos a las dos?");

  const a = await openPerson(browser, url, undefined, "es-ES");
  const b = await openPerson(browser, url, undefined, "es-ES");
  const page = a.page;
  assert.equal(await page.locator("html").getAttribute("lang"), "es");
  await page.getByRole("button", { name: "Entrar" }).waitFor();
  await checkScreen(page, "sign-in form");

  // A taken username, then a wrong password: both refusals in Spanish.
  await page.getByLabel("Usuario").fill("bruno");
  await page.getByLabel("Contraseña").fill(PASSWORD);
  await page.getByRole("button", { name: "Registrarse" }).click();
  await page.getByText(tables.es.errors.CONFLICT).waitFor();
  await checkScreen(page, "sign-in form, username taken");
  await page.getByLabel("Usuario").fill("ana");
  await page.getByLabel("Contraseña").fill("not-the-password");
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.getByText(tables.es.errors.UNAUTHORIZED).waitFor();
  await checkScreen(page, "sign-in form, wrong password");

  await page.getByLabel("Contraseña").fill(PASSWORD);
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.getByRole("button", { name: "Nuevo chat" }).waitFor();
  await page.getByText("Elige un chat o empieza uno nuevo.").waitFor();
  await page.getByRole("button", { name: /Club de lectura/ }).waitFor();
  await checkScreen(page, "chat list");

  // Bruno is in the chat too, so ana sees him "en línea" and his reaction arrives.
  await b.page.getByLabel("Usuario").fill("bruno");
  await b.page.getByLabel("Contraseña").fill(PASSWORD);
  await b.page.getByRole("button", { name: "Entrar" }).click();
  await b.page.getByRole("button", { name: /ana/ }).click();

  await page.getByRole("button", { name: /bruno/ }).click();
  await page.getByRole("heading", { name: "bruno", exact: true }).waitFor();
  const question = messageItem(page, "¿Comemos a las dos?").filter({
    hasNot: page.locator(".reply-quote"),
  });
  await question.hover();
  await question.getByRole("button", { name: "Responder" }).click();
  await page.getByText("Respondiendo a bruno").waitFor();
  await checkScreen(page, "composer with a reply");
  const composer = page.getByLabel(tables.es.message, { exact: true });
  await composer.fill("Sí, en el sitio de siempre");
  await composer.press("Enter");
  const answer = messageItem(page, "Sí, en el sitio de siempre");
  await answer.getByRole("button", { name: /En respuesta a bruno/ }).waitFor();
  const theirs = messageItem(b.page, "Sí, en el sitio de siempre");
  await theirs.hover();
  await theirs.getByRole("button", { name: "Añadir una reacción" }).click();
  await theirs.getByRole("button", { name: "Reaccionar con 👍" }).click();
  await answer.getByRole("button", { name: "👍 1: bruno" }).waitFor();
  await b.page.getByText("Visto").waitFor();
  await answer.hover();
  await checkScreen(page, "chat with a reply and a reaction");
  await answer.getByRole("button", { name: "Añadir una reacción" }).click();
  await answer.getByRole("button", { name: "Reaccionar con ❤️" }).waitFor();
  await checkScreen(page, "quick reactions");
  await page.keyboard.press("Escape");

  await page.keyboard.press("Control+k");
  const search = page.getByRole("dialog", { name: "Buscar mensajes" });
  await search.getByRole("combobox", { name: "Buscar mensajes" }).waitFor();
  await checkScreen(page, "search, empty");
  await page.keyboard.type("sitio");
  await search.getByRole("option").filter({ hasText: "siempre" }).waitFor();
  await checkScreen(page, "search with a result");
  await search.getByRole("combobox").fill("paraguas");
  await search.getByText("Ningún mensaje tiene esas palabras.").waitFor();
  await checkScreen(page, "search without a result");
  await page.keyboard.press("Escape");
  await search.waitFor({ state: "detached" });

  await page.getByRole("button", { name: "Notificaciones", exact: true }).click();
  const settings = page.getByRole("dialog", { name: "Notificaciones" });
  await settings.getByRole("button", { name: "Hecho" }).waitFor();
  await checkScreen(page, "notification settings");
  await settings.getByRole("button", { name: "Hecho" }).click();
  await settings.waitFor({ state: "detached" });

  await page.getByRole("button", { name: /Perfil/ }).click();
  const profile = page.getByRole("dialog", { name: "Perfil" });
  await profile.getByLabel("Nombre visible").waitFor();
  await checkScreen(page, "profile");
  await page.keyboard.press("Escape");
  await profile.waitFor({ state: "detached" });

  await page.getByRole("button", { name: "Nuevo chat" }).click();
  const newChat = page.getByRole("dialog", { name: "Nuevo chat" });
  await newChat.getByLabel("Buscar usuarios").waitFor();
  await checkScreen(page, "new chat");
  await page.keyboard.type("zzz");
  await newChat.getByText("No hay nadie con ese nombre.").waitFor();
  await checkScreen(page, "new chat, nobody found");
  await newChat.getByRole("button", { name: "Cerrar" }).click();
  await newChat.waitFor({ state: "detached" });
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test("the client in Spanish on a touch phone", { timeout: 150_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  const { url, users, direct, post } = await chatFixture(t, ["ana", "bruno"]);
  const [ana, bruno] = users;
  const chat = await direct(bruno, ana);
  await post(bruno, chat.id, "¿Comemos a las dos?");

  const a = await openPerson(browser, url, { width: 390, height: 844 }, "es-ES", TOUCH_PHONE);
  const page = a.page;
  await page.getByRole("button", { name: "Entrar" }).waitFor();
  await checkScreen(page, "phone: sign-in form");
  await page.getByLabel("Usuario").fill("ana");
  await page.getByLabel("Contraseña").fill(PASSWORD);
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.getByRole("button", { name: /bruno/ }).waitFor();
  await checkScreen(page, "phone: chat list");

  await page.getByRole("button", { name: /bruno/ }).tap();
  await page.getByRole("heading", { name: "bruno", exact: true }).waitFor();
  await page.getByRole("button", { name: "Volver a los chats" }).waitFor();
  await checkScreen(page, "phone: chat");

  const menu = page.getByRole("menu", { name: "Acciones del mensaje de bruno" });
  await longPress(page, messageItem(page, "¿Comemos a las dos?").locator(".bubble"), menu);
  await checkScreen(page, "phone: message menu");
  await menu.getByRole("menuitem", { name: "Responder" }).tap();
  await page.getByText("Respondiendo a bruno").waitFor();
  await checkScreen(page, "phone: composer with a reply");

  await page.getByRole("button", { name: "Volver a los chats" }).tap();
  await page.getByRole("button", { name: "Nuevo chat" }).tap();
  await page.getByRole("dialog", { name: "Nuevo chat" }).getByLabel("Buscar usuarios").waitFor();
  await checkScreen(page, "phone: new chat");
  assert.deepEqual(a.errors, []);
});
