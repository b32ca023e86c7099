/**
 * Registering when REGISTRATION=invite: the invite link opens the register page with the
 * invite filled in; without one the server refuses and the form asks for the link, which
 * may be pasted whole; a used-up link is refused; a deactivated account is told so at login.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { http } from "../support/clients.ts";
import { chatFixture } from "../support/fixture.ts";
import {
  ensureWebBuild,
  launchBrowser,
  openPerson,
  PASSWORD,
  registerInUi,
  SCREENSHOTS,
} from "./browser.ts";

test("a new user registers with an invite link", { timeout: 150_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();
  // The first account is accepted whatever REGISTRATION says, and is the admin.
  const { url, users } = await chatFixture(t, ["root"], { registration: "invite" });
  const [root] = users;
  const invite = async () =>
    (
      await http<{ url: string }>(url, "POST", "/api/invites", {
        token: root.token,
        body: { max_uses: 1 },
      })
    ).body.url;

  // The link opens the register page with the invite in it.
  const first = await invite();
  const dani = await openPerson(browser, url);
  await dani.page.goto(new URL(first).pathname + new URL(first).search);
  await dani.page.getByRole("heading", { name: "Create your account" }).waitFor();
  assert.equal(
    await dani.page.getByLabel("Invite link or code").inputValue(),
    new URL(first).searchParams.get("invite"),
  );
  await dani.page.screenshot({ path: path.join(SCREENSHOTS, "register-invite.png") });
  await dani.page.getByLabel("Username").fill("dani");
  await dani.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await dani.page.getByRole("button", { name: "Create account" }).click();
  await dani.page.getByRole("button", { name: "New chat" }).waitFor();
  // The code leaves the address bar once used.
  assert.equal(new URL(dani.page.url()).search, "");
  assert.equal(new URL(dani.page.url()).pathname, "/");

  // The same link again: used up.
  const eve = await openPerson(browser, url, { width: 390, height: 844 });
  await eve.page.goto(new URL(first).pathname + new URL(first).search);
  await eve.page.getByLabel("Username").fill("eve");
  await eve.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await eve.page.getByRole("button", { name: "Create account" }).click();
  await eve.page
    .getByRole("alert")
    .getByText(/only with a valid invite link/)
    .waitFor();

  // From the plain sign-in page: refused, then the pasted link works.
  await eve.page.getByRole("button", { name: "Log in" }).click();
  await eve.page.getByRole("heading", { name: "Charla" }).waitFor();
  await eve.page.getByLabel("Invite link or code").fill("");
  await eve.page.getByRole("button", { name: "Register" }).click();
  await eve.page
    .getByRole("alert")
    .getByText(/only with a valid invite link/)
    .waitFor();
  await eve.page.getByLabel("Invite link or code").fill(await invite());
  await eve.page.screenshot({ path: path.join(SCREENSHOTS, "register-phone.png") });
  await eve.page.getByRole("button", { name: "Register" }).click();
  await eve.page.getByRole("button", { name: "New chat" }).waitFor();
  const found = await http<{ users: { username: string }[] }>(
    url,
    "GET",
    "/api/admin/users?q=eve",
    {
      token: root.token,
    },
  );
  assert.deepEqual(
    found.body.users.map((u) => u.username),
    ["eve"],
  );

  // A deactivated account hears why it cannot log in.
  const eveId = (found.body.users[0] as unknown as { id: string }).id;
  assert.equal(
    (await http(url, "POST", `/api/admin/users/${eveId}/deactivate`, { token: root.token })).status,
    200,
  );
  await eve.page.getByLabel("Username").waitFor();
  await eve.page.getByLabel("Username").fill("eve");
  await eve.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await eve.page.getByRole("button", { name: "Log in" }).click();
  await eve.page
    .getByRole("alert")
    .getByText("This account is deactivated. Ask an admin of the server.")
    .waitFor();
  assert.deepEqual([...dani.errors, ...eve.errors], []);
});

test("the sign-in page offers what registration admits", { timeout: 120_000 }, async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  ensureWebBuild();

  // By invite: the field is there before anyone is refused.
  const invited = await chatFixture(t, ["root"], { registration: "invite" });
  const ana = await openPerson(browser, invited.url);
  await ana.page.getByLabel("Invite link or code").waitFor();
  assert.equal(await ana.page.getByRole("button", { name: "Register" }).count(), 1);

  // Closed: a line says so, and no button offers what the server would refuse.
  const closed = await chatFixture(t, ["root"], { registration: "closed" });
  const ben = await openPerson(browser, closed.url);
  await ben.page.getByText("This server is not taking new accounts.").waitFor();
  assert.equal(await ben.page.getByRole("button", { name: "Register" }).count(), 0);
  assert.equal(await ben.page.getByLabel("Invite link or code").count(), 0);
  await ben.page.getByRole("button", { name: "Log in" }).waitFor();

  // A fresh server, closed or not, takes its first account: the admin registers here.
  const fresh = await chatFixture(t, [], { registration: "closed" });
  const root = await openPerson(browser, fresh.url);
  await registerInUi(root.page, "first_admin");
  assert.deepEqual([...ana.errors, ...ben.errors, ...root.errors], []);
});
