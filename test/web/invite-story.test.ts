/**
 * The story of issue 16, end to end in browsers, on a server that takes new accounts by
 * invitation only: the admin (the first account) makes an invite link on the admin page and
 * copies it; a newcomer registers with it in a browser of their own and posts into a group;
 * a member reports the post from its menu; the admin reads the report and deactivates the
 * sender, whose open page is logged out at once and who cannot log in again.
 * Each step on its own (and its edge cases) is in admin.test.ts, register.test.ts and
 * moderation.test.ts; this is the whole path a community walks.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { User } from "@charla/protocol/schemas";
import { createChat, http, type TestUser } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  logIn,
  messageItem,
  openPerson,
  PASSWORD,
  sendWithEnter,
} from "./browser.ts";

test(
  "an admin invites a newcomer, who posts, is reported and deactivated",
  { timeout: 150_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    ensureWebBuild();
    // The first account is accepted whatever REGISTRATION says, and is the admin.
    const { url, users } = await chatFixture(t, ["root"], { registration: "invite" });
    const [root] = users;
    // carol, a member from before (setup: invited and registered through the API).
    const carolInvite = await http<{ code: string }>(url, "POST", "/api/invites", {
      token: root.token,
      body: { max_uses: 1 },
    });
    const registered = await http<{ user: User; token: string }>(
      url,
      "POST",
      "/api/auth/register",
      {
        body: { username: "carol", password: PASSWORD, invite: carolInvite.body.code },
      },
    );
    assert.equal(registered.status, 201);
    const carol: TestUser = { ...registered.body, password: PASSWORD };

    // The admin makes an invite link and copies it.
    const admin = await openPerson(browser, url);
    await admin.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await logIn(admin.page, "root");
    await admin.page.getByRole("button", { name: "Administration" }).click();
    const panel = admin.page.getByRole("tabpanel");
    await admin.page.getByRole("tab", { name: "Invites" }).click();
    await panel.getByRole("button", { name: "Create invite link" }).click();
    await panel.getByRole("textbox", { name: "Invite link" }).waitFor();
    await panel.getByRole("button", { name: "Copy link" }).click();
    await panel.getByText("Copied").waitFor();
    const inviteUrl = await admin.page.evaluate<string>("navigator.clipboard.readText()");
    assert.match(inviteUrl, /\/register\?invite=/);

    // The newcomer, in a browser of their own, registers with the link.
    const dani = await openPerson(browser, url);
    await dani.page.goto(new URL(inviteUrl).pathname + new URL(inviteUrl).search);
    await dani.page.getByRole("heading", { name: "Create your account" }).waitFor();
    await dani.page.getByLabel("Username").fill("dani");
    await dani.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await dani.page.getByRole("button", { name: "Create account" }).click();
    await dani.page.getByRole("button", { name: "New chat" }).waitFor();

    // carol adds dani to her group (setup); dani sees it arrive and posts there.
    const found = await http<{ users: { id: string; username: string }[] }>(
      url,
      "GET",
      "/api/admin/users?q=dani",
      { token: root.token },
    );
    const daniId = found.body.users.find((u) => u.username === "dani")?.id;
    assert.ok(daniId);
    await createChat(url, carol, "group", [{ user: { id: daniId } } as TestUser], "Team");
    await dani.page.getByRole("button", { name: /Team/ }).click();
    await dani.page.getByRole("heading", { name: "Team" }).waitFor();
    await sendWithEnter(dani.page, "you are all wrong");
    await messageItem(dani.page, "you are all wrong").waitFor();

    // carol reports the post from its menu.
    const member = await openPerson(browser, url);
    await logIn(member.page, "carol");
    await member.page.getByRole("button", { name: /Team/ }).click();
    const post = messageItem(member.page, "you are all wrong");
    await post.hover();
    await post.getByRole("button", { name: "Report message" }).click();
    const report = member.page.getByRole("dialog", { name: "Report this message" });
    await report.getByLabel("What is wrong with it?").fill("insults the team");
    await report.getByRole("button", { name: "Send report" }).click();
    await report.getByText("Thank you: the admins will look at it.").waitFor();
    await report.getByRole("button", { name: "Done" }).click();

    // The admin reads the report, with the message, and deactivates its sender.
    await admin.page.getByRole("tab", { name: "Reports" }).click();
    const item = panel.getByRole("listitem").filter({ hasText: "insults the team" });
    await item.getByText("you are all wrong").waitFor();
    await item.getByText(/Reported by carol/).waitFor();
    await item.getByText(/Message from dani/).waitFor();
    await item.getByRole("button", { name: "Deactivate the sender" }).click();
    await item
      .getByRole("group", { name: /Deactivate dani\?/ })
      .getByRole("button", { name: "Deactivate" })
      .click();

    // dani's open page is logged out at once, and logging in again is refused with the reason.
    await dani.page.getByRole("button", { name: "Log in" }).waitFor();
    assert.equal(await dani.page.getByRole("button", { name: "New chat" }).count(), 0);
    await dani.page.getByLabel("Username").fill("dani");
    await dani.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await dani.page.getByRole("button", { name: "Log in" }).click();
    await dani.page
      .getByRole("alert")
      .getByText("This account is deactivated. Ask an admin of the server.")
      .waitFor();

    // The admin page shows it in the users and the audit log.
    await admin.page.getByRole("tab", { name: "Users" }).click();
    await panel.getByLabel("Find users").fill("dani");
    const rows = panel.getByRole("list", { name: "Users" }).getByRole("listitem");
    await rows.filter({ hasText: "dani" }).getByText("Deactivated").waitFor();
    await admin.page.getByRole("tab", { name: "Audit log" }).click();
    await panel
      .getByRole("list", { name: "Audit log" })
      .getByRole("listitem")
      .first()
      .getByText("root deactivated dani")
      .waitFor();
    assert.deepEqual([...admin.errors, ...dani.errors, ...member.errors], []);
  },
);
