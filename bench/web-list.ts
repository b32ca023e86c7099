/**
 * The web client's message list with a long history (issue 14, Performance): one direct
 * chat of 5,000 messages (appended through the store), opened in Chromium at its end, then
 * scrolled up with the mouse wheel through all of it, page after page of history, to the
 * first message; then back down to the end. Reports:
 * - the DOM: message rows in the list and elements in the whole document, at the end of the
 *   way up (all 5,000 loaded) and back at the bottom;
 * - frame times while scrolling (requestAnimationFrame deltas: p50 / p95 / max, and how many
 *   frames took over 50 ms), long tasks (over 50 ms, PerformanceObserver), and Chromium's
 *   own script/layout/style totals (CDP Performance metrics), for each direction;
 * - how long a message arriving at the bottom takes to show with all of history loaded.
 *
 *   npm run build:web
 *   flock /tmp/charla-bench.lock node --conditions=source --import tsx bench/web-list.ts
 *
 * BENCH_WEB_MESSAGES (5000) sets the size; the result is one JSON line and a Markdown table.
 * Everything runs on 127.0.0.1 (PGlite in memory, the built web/dist).
 */
import { chromium, type CDPSession, type Page } from "playwright-core";
import { createApp } from "../src/server/app.ts";
import { createChat, http, postMessage, registerUser } from "../test/support/clients.ts";
import { seedHistory } from "../test/support/history-seed.ts";
import { testConfig } from "../test/support/server.ts";
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild, logIn } from "../test/web/browser.ts";
import { machineLoadNote } from "./lib/timing.ts";

const COUNT = Number(process.env.BENCH_WEB_MESSAGES ?? 5000);
/** Pixels per wheel notch, as a mouse sends. */
const WHEEL = 400;
/** Gives up on a direction after this many notches. */
const MAX_STEPS = 6000;
/** Stops a direction after this long (s), reporting how far it got (BENCH_WEB_MAX_SECONDS). */
const MAX_SECONDS = Number(process.env.BENCH_WEB_MAX_SECONDS ?? 300);

interface Frames {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  over50: number;
  longTasks: number;
  longTaskMs: number;
}

interface Direction extends Frames {
  steps: number;
  seconds: number;
  /** Whether it got all the way (else it stopped at MAX_SECONDS). */
  complete: boolean;
  /** Messages loaded (up) when it ended. */
  loaded: number;
  /** Chromium's totals over the direction (ms). */
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Starts recording frame deltas and long tasks in the page. */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    const bench = { deltas: [] as number[], long: [] as number[], stop: false };
    w.__bench = bench;
    let last = performance.now();
    const frame = (now: number) => {
      bench.deltas.push(now - last);
      last = now;
      if (!bench.stop) w.requestAnimationFrame(frame);
    };
    w.requestAnimationFrame((now) => {
      last = now;
      w.requestAnimationFrame(frame);
    });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.long.push(entry.duration);
      // Node's types know no "longtask"; the page's Chromium does.
    }).observe({ type: "longtask" as "function" });
  });
}

async function stopRecording(page: Page): Promise<Frames> {
  const { deltas, long } = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__bench.stop = true;
    return { deltas: w.__bench.deltas, long: w.__bench.long };
  });
  const sorted = [...deltas].sort((a, b) => a - b);
  return {
    frames: deltas.length,
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    max: round(sorted[sorted.length - 1] ?? 0),
    over50: deltas.filter((d) => d > 50).length,
    longTasks: long.length,
    longTaskMs: Math.round(long.reduce((a, b) => a + b, 0)),
  };
}

/** The page's globals that the bench uses, typed just enough (its types have no DOM). */
interface PageGlobals {
  __bench: { deltas: number[]; long: number[]; stop: boolean };
  requestAnimationFrame(callback: (now: number) => void): number;
}

const round = (n: number) => Math.round(n * 10) / 10;

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** Two frames: what the last wheel notch (or fetch) changed has been laid out and painted. */
const frames2 = (page: Page) =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const w = globalThis as unknown as PageGlobals;
        w.requestAnimationFrame(() => w.requestAnimationFrame(resolve));
      }),
  );

/** The oldest message rendered, by its number ("Message number 1234"): all loaded at 1. */
async function loadedCount(page: Page): Promise<number> {
  const oldest = await page
    .locator(".message-list")
    .evaluate((list) => list.querySelector(":scope > li.message .message-body")?.textContent ?? "");
  const n = Number(/Message number (\d+)/.exec(oldest)?.[1] ?? COUNT);
  return COUNT - n + 1;
}

async function domCounts(page: Page): Promise<{ rows: number; elements: number }> {
  return page.locator("html").evaluate((html) => ({
    rows: html.querySelectorAll(".message-list > li.message").length,
    elements: html.getElementsByTagName("*").length,
  }));
}

/** Wheels the list in `direction` until `done` holds in the page; the figures of the way. */
async function scrollThrough(
  page: Page,
  cdp: CDPSession,
  direction: -1 | 1,
  done: () => Promise<boolean>,
): Promise<Direction> {
  const box = (await page.locator(".messages").boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const before = await metrics(cdp);
  await startRecording(page);
  const started = Date.now();
  let steps = 0;
  let complete = false;
  while (steps < MAX_STEPS && Date.now() - started < MAX_SECONDS * 1000) {
    if ((complete = await done())) break;
    await page.mouse.wheel(0, direction * WHEEL);
    await frames2(page);
    steps++;
    if (steps % 100 === 0) console.error(`${direction < 0 ? "up" : "down"}: ${steps} notches`);
  }
  const seconds = (Date.now() - started) / 1000;
  const frames = await stopRecording(page);
  const after = await metrics(cdp);
  const loaded = await loadedCount(page);
  const ms = (name: string) => Math.round(((after[name] ?? 0) - (before[name] ?? 0)) * 1000);
  return {
    ...frames,
    steps,
    complete,
    loaded,
    seconds: round(seconds),
    scriptMs: ms("ScriptDuration"),
    layoutMs: ms("LayoutDuration"),
    styleMs: ms("RecalcStyleDuration"),
  };
}

async function main() {
  ensureWebBuild();
  const load = await machineLoadNote();
  const app = await createApp(testConfig());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const url = await app.listen();
    const ana = await registerUser(url, "ana");
    const ben = await registerUser(url, "ben");
    const chat = await createChat(url, ana, "direct", [ben]);
    const seeded = Date.now();
    const last = (await seedHistory(app, chat.id, [ana, ben], COUNT)).at(-1)!;
    const seedSeconds = (Date.now() - seeded) / 1000;
    // Read to the end: the chat opens at the bottom.
    await http(url, "POST", `/api/chats/${chat.id}/read`, {
      token: ben.token,
      body: { seq: last.seq },
    });

    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: "en-US",
      baseURL: url,
    });
    context.setDefaultTimeout(60_000);
    // tsx names inner functions with a `__name` helper that the page lacks.
    await context.addInitScript("window.__name = (f) => f;");
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.goto("/");
    await logIn(page, "ben");
    await page.getByRole("button", { name: /ana/ }).click();
    const list = page.getByRole("list", { name: "Messages" });
    await list.getByText(`Message number ${COUNT}`, { exact: true }).waitFor();
    const opened = await domCounts(page);

    const first = list.getByText("Message number 1", { exact: true });
    const up = await scrollThrough(page, cdp, -1, async () =>
      page.locator(".messages").evaluate((el) => {
        const beginning = [...el.querySelectorAll(".history-note")].some((n) =>
          n.textContent?.includes("beginning"),
        );
        return beginning && el.scrollTop <= 0;
      }),
    );
    if (up.complete) await first.waitFor();
    const top = await domCounts(page);

    const down = await scrollThrough(page, cdp, 1, async () =>
      page.locator(".messages").evaluate((el) => {
        return (
          el.scrollHeight - el.scrollTop - el.clientHeight < 2 &&
          !el.ownerDocument.querySelector(".jump-btn")
        );
      }),
    );
    const bottom = await domCounts(page);

    // A message from ana arriving while ben is at the bottom, all history loaded.
    await frames2(page);
    const sent = Date.now();
    await postMessage(url, ana, chat.id, "One more at the end");
    await list.getByText("One more at the end", { exact: true }).waitFor();
    const arrivalMs = Date.now() - sent;

    const result = {
      messages: COUNT,
      seedSeconds: round(seedSeconds),
      machineLoad: load,
      dom: { opened, top, bottom },
      up,
      down,
      arrivalMs,
    };
    console.log(JSON.stringify(result));
    const row = (name: string, d: Direction) =>
      `| ${name} | ${d.steps} notches, ${d.seconds} s${d.complete ? "" : ` (stopped: ${d.loaded} of ${COUNT} loaded)`} | ${d.p50} / ${d.p95} / ${d.max} ms | ${d.over50} | ${d.longTasks} (${d.longTaskMs} ms) | ${d.scriptMs} / ${d.layoutMs} / ${d.styleMs} ms |`;
    console.log(
      [
        "",
        `${COUNT} messages; ${load}`,
        `DOM at the top${up.complete ? " (all loaded)" : ""}: ${top.rows} message rows, ${top.elements} elements; at the bottom: ${bottom.rows} rows, ${bottom.elements} elements; on opening: ${opened.rows} rows`,
        `a message arriving at the bottom with all loaded: shown ${arrivalMs} ms after the POST`,
        "",
        "| scroll | way | frame p50 / p95 / max | frames > 50 ms | long tasks | script / layout / style |",
        "| --- | --- | --- | --- | --- | --- |",
        row("up (loading history)", up),
        row("down (back to the end)", down),
      ].join("\n"),
    );
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
}

await main();
