/**
 * Browser helpers for the web client's tests: Debian's chromium driven by playwright-core,
 * the web build made when missing, and UI steps shared by the tests.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { TestContext } from "node:test";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const ROOT = path.resolve(import.meta.dirname, "../..");
/**
 * Where the tests save screenshots: test-results/screenshots (ignored by git) so a test run
 * leaves the tree clean; `UPDATE_SCREENSHOTS=1` writes the committed ones in docs/screenshots
 * that the README shows.
 */
export const SCREENSHOTS =
  process.env.SCREENSHOTS_DIR ??
  path.join(
    ROOT,
    process.env.UPDATE_SCREENSHOTS === "1" ? "docs/screenshots" : "test-results/screenshots",
  );
export const PASSWORD = "correct-horse-battery";

/**
 * The browser for this test, or undefined after a loud skip when chromium is missing.
 * On CI (`CI` set) a missing chromium is a failure, not a skip.
 */
export async function launchBrowser(t: TestContext): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    const reason = `SKIPPED: browser tests need chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
    if (process.env.CI) throw new Error(reason.replace("SKIPPED", "FAILED"));
    console.warn(`\n*** ${reason} ***\n`);
    t.skip(reason);
    return undefined;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  return browser;
}

/**
 * Builds the web client when `web/dist` is missing (a fresh clone without `npm install`).
 * Test files run in parallel processes, so one builds (holding a lock directory) while the
 * others wait for its output.
 */
export function ensureWebBuild(): void {
  const index = path.join(ROOT, "web/dist/index.html");
  if (existsSync(index)) return;
  const lock = path.join(ROOT, "web/.build-lock");
  try {
    mkdirSync(lock);
  } catch {
    const deadline = Date.now() + 120_000;
    while (!existsSync(index) || existsSync(lock)) {
      if (Date.now() > deadline) throw new Error("timed out waiting for the web build");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
    return;
  }
  try {
    execFileSync("npx", ["vite", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
      cwd: ROOT,
      stdio: "inherit",
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Every `alert`/`confirm`/`prompt` the page opened. */
  dialogs: string[];
  /** Uncaught page errors. */
  errors: string[];
}

/** A phone used with a finger: no hover, a coarse pointer, touch events. */
export const TOUCH_PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
};

/**
 * A fresh browser context (its own storage) with one page at `url`; `options` adds to the
 * context's (TOUCH_PHONE for a touch screen).
 */
export async function openPerson(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 800 },
  locale = "en-US",
  options: BrowserContextOptions = {},
): Promise<Person> {
  const context = await browser.newContext({ viewport, locale, ...options, baseURL: url });
  // Generous: the whole suite may run beside this test on a small machine.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const person: Person = { context, page, dialogs: [], errors: [] };
  page.on("dialog", (dialog) => {
    person.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => person.errors.push(error.message));
  await page.goto("/");
  return person;
}

export async function registerInUi(page: Page, username: string): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Register" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
}

/** Logs in through the form and waits for the chat screen. */
export async function logIn(page: Page, username: string): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
}

/** Opens "New chat", picks `username`, starts the direct chat. */
export async function startDirectChat(page: Page, username: string): Promise<void> {
  await page.getByRole("button", { name: "New chat" }).click();
  const dialog = page.getByRole("dialog");
  // The search has the focus when the dialog opens: typing goes there.
  await dialog.getByLabel("Search users").waitFor();
  await page.keyboard.type(username);
  await dialog.getByRole("checkbox", { name: username, exact: true }).check();
  await dialog.getByRole("button", { name: "Start chat" }).click();
  await page.getByRole("heading", { name: username, exact: true }).waitFor();
}

/** Types into the composer and presses Enter. */
export async function sendWithEnter(page: Page, body: string): Promise<void> {
  const field = page.getByLabel("Message", { exact: true });
  await field.fill(body);
  await field.press("Enter");
}

/** The message list item whose text contains `text`. */
export function messageItem(page: Page, text: string) {
  return page
    .getByRole("list", { name: "Messages" })
    .getByRole("listitem")
    .filter({ hasText: text });
}

/**
 * Waits until the expression is true in the page. Polled with `evaluate` (not
 * `waitForFunction`, whose string form needs `eval`, which the page's CSP forbids).
 */
export async function waitUntil(page: Page, expression: string, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A finger resting on the middle of `target` until `opened` shows, then lifting: the long
 * press of a touch screen (Playwright's touchscreen only taps). The page needs `hasTouch`.
 */
export async function longPress(page: Page, target: Locator, opened: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error("long press: the target is not visible");
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [point] });
  await opened.waitFor();
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is: each serious or critical violation, named after `screen`. */
export async function seriousViolations(page: Page, screen: string): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate<Violation[]>(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)",
  );
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
}
