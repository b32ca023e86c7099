/**
 * axe-core on the main screens (sign-in, register with an invite, chat list with an open
 * chat and its attachments, the picture viewer, the composer with a file on its way out, the report, the emoji picker, members, new-chat, notification and search dialogs, each tab of the admin
 * page), on a desktop and a phone, in light and dark: no serious or critical violation.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import { solidImage } from "../support/images.ts";
import { uploaded } from "../support/uploads.ts";
import {
  ensureWebBuild,
  launchBrowser,
  messageItem,
  openPerson,
  PASSWORD,
  SCREENSHOTS,
  seriousViolations,
} from "./browser.ts";

for (const colorScheme of ["light", "dark"] as const) {
  test(`no serious accessibility violation (${colorScheme})`, { timeout: 150_000 }, async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    const { url, users, group, direct, post } = await chatFixture(t, ["alice", "bob", "carol"], {
      adminUsernames: ["alice"],
    });
    const [alice, bob, carol] = users;
    const team = await group(alice, [bob, carol], "Team");
    await direct(alice, bob);
    await post(bob, team.id, "**Hello** team, see https://example.com");
    await post(carol, team.id, "@alice > a quote\n\n- a list");
    const files = [
      await uploaded(url, bob.token, await solidImage(640, 400, "png"), "beach.png"),
      await uploaded(url, bob.token, Buffer.from("%PDF-1.4\n%âãÏÓ\n"), "plan.pdf"),
    ];
    await http(url, "POST", `/api/chats/${team.id}/messages`, {
      token: bob.token,
      body: { body: "files", attachment_ids: files.map((f) => f.id) },
    });
    await post(alice, team.id, "🎉");

    const found: string[] = [];
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      const { page } = await openPerson(browser, url, viewport);
      // Reduced motion: switching the scheme after load otherwise animates each button's
      // background (0.15 s) while its text has already changed, and axe on a slow box can
      // measure the contrast halfway (CI: `.btn-secondary` on the dark sign-in page).
      await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
      await page.getByLabel("Username").waitFor();
      found.push(...(await seriousViolations(page, `sign-in ${viewport.width}`)));
      await page.goto("/register?invite=an-invite-code");
      await page.getByRole("heading", { name: "Create your account" }).waitFor();
      found.push(...(await seriousViolations(page, `register ${viewport.width}`)));
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByLabel("Username").fill("alice");
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("button", { name: /Team/ }).waitFor();
      found.push(...(await seriousViolations(page, `chat list ${viewport.width}`)));
      await page.getByRole("button", { name: /Team/ }).click();
      await messageItem(page, "🎉").waitFor();
      await page.getByRole("img", { name: "beach.png" }).waitFor();
      found.push(...(await seriousViolations(page, `chat ${viewport.width}`)));
      const shot = `attachments-${colorScheme}-${viewport.width < 760 ? "phone" : "desktop"}`;
      await page.screenshot({ path: path.join(SCREENSHOTS, `${shot}.png`) });
      await page.getByRole("button", { name: "Open beach.png full size" }).click();
      await page.getByRole("dialog", { name: "Picture viewer" }).waitFor();
      found.push(...(await seriousViolations(page, `picture viewer ${viewport.width}`)));
      await page.screenshot({ path: path.join(SCREENSHOTS, `${shot}-viewer.png`) });
      await page.keyboard.press("Escape");
      const chooser = page.waitForEvent("filechooser");
      await page.getByRole("button", { name: "Attach files" }).click();
      await (
        await chooser
      ).setFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("notes") });
      await page.getByRole("button", { name: "Remove notes.txt" }).waitFor();
      found.push(...(await seriousViolations(page, `composer with a file ${viewport.width}`)));
      await page.screenshot({ path: path.join(SCREENSHOTS, `${shot}-composer.png`) });
      await page.getByRole("button", { name: "Remove notes.txt" }).click();
      await messageItem(page, "Hello").hover();
      await messageItem(page, "Hello").getByRole("button", { name: "Report message" }).click();
      await page.getByRole("dialog", { name: "Report this message" }).waitFor();
      found.push(...(await seriousViolations(page, `report ${viewport.width}`)));
      await page.keyboard.press("Escape");
      await messageItem(page, "Hello").hover();
      await messageItem(page, "Hello").getByRole("button", { name: "Add a reaction" }).click();
      await messageItem(page, "Hello").getByRole("button", { name: "More emoji" }).click();
      const picker = page.getByRole("dialog", { name: "Emoji" });
      await picker.getByRole("button", { name: "grinning face", exact: true }).waitFor();
      found.push(...(await seriousViolations(page, `emoji picker ${viewport.width}`)));
      await page.keyboard.press("Escape");
      await picker.waitFor({ state: "detached" });
      await page.getByRole("button", { name: "Members" }).click();
      found.push(...(await seriousViolations(page, `members ${viewport.width}`)));
      await page.keyboard.press("Escape");
      if (viewport.width < 760) await page.getByRole("button", { name: "Back to chats" }).click();
      await page.getByRole("button", { name: "Notifications", exact: true }).click();
      found.push(...(await seriousViolations(page, `notifications ${viewport.width}`)));
      await page.keyboard.press("Escape");
      await page.keyboard.press("Control+k");
      await page.getByRole("combobox", { name: "Search messages" }).fill("hello");
      await page.getByRole("option").first().waitFor();
      found.push(...(await seriousViolations(page, `search ${viewport.width}`)));
      await page.keyboard.press("Escape");
      for (const tab of ["Users", "Invites", "Reports", "Audit log"]) {
        if (tab === "Users") await page.getByRole("button", { name: "Administration" }).click();
        else await page.getByRole("tab", { name: tab }).click();
        if (tab === "Invites") {
          await page.getByRole("button", { name: "Create invite link" }).click();
          await page.getByRole("button", { name: "Copy link" }).waitFor();
        } else {
          await page.getByRole("tabpanel").getByRole("listitem").first().waitFor();
        }
        found.push(...(await seriousViolations(page, `admin ${tab} ${viewport.width}`)));
      }
      if (viewport.width < 760) await page.getByRole("button", { name: "Back to chats" }).click();
      await page.getByRole("button", { name: "New chat" }).click();
      await page.getByRole("dialog").getByLabel("Search users").fill("b");
      await page.getByRole("dialog").getByRole("checkbox", { name: "bob" }).waitFor();
      found.push(...(await seriousViolations(page, `new chat ${viewport.width}`)));
      await page.context().close();
    }
    assert.deepEqual(found, []);
  });
}
