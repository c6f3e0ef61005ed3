import { expect, newAccount, test } from "./fixtures";

test("an owner invites a support member who can read the team but not manage it", async ({ page, auth, team, outbox }) => {
  const owner = newAccount("owner");
  await auth.signUp(owner);

  // The invite-and-join flow step by step (elsewhere it is team.joinAs), to check each step on the way.
  const support = newAccount("support");
  const link = await team.invite(support.email, "support");
  expect(link).toMatch(/\/invite\/[\w-]{20,}$/);
  await expect(team.pendingInvites().getByText(support.email)).toBeVisible();
  // The same link was emailed to the invitee; the page says so and still shows it to copy.
  await expect(page.getByTestId("invite-mail-status")).toContainText(`We emailed this one-time link to ${support.email}`);
  const mail = await outbox.latest(support.email, `${owner.name} invited you to ${owner.merchant} on Settle`);
  expect(mail.text).toContain("as Support");
  expect(mail.links).toContain(link);

  // The invitee opens the link in a browser of their own.
  const invitee = await team.openInvite(link);
  const supportPage = invitee.page;
  await expect(supportPage.getByRole("heading", { name: `Join ${owner.merchant}` })).toBeVisible();
  await invitee.join(support);
  await expect(supportPage.getByTestId("merchant-name")).toHaveText(owner.merchant);

  // UI: support sees the team but no invite form and no role controls.
  await supportPage.goto("/settings/team");
  await expect(team.members(supportPage).getByText(owner.email)).toBeVisible();
  await expect(supportPage.getByRole("button", { name: "Create invite link" })).toHaveCount(0);
  await expect(supportPage.getByRole("combobox")).toHaveCount(0);
  await expect(supportPage.getByText("Only owners and admins can manage the team.")).toBeVisible();

  // Server: the owner's page, with its role controls, now runs as the support user.
  await page.reload();
  const roleSelect = team.roleOf(support.email);
  await expect(roleSelect).toHaveValue("support");
  await page.context().clearCookies();
  await page.context().addCookies(await invitee.context.cookies());
  await roleSelect.selectOption("admin");
  await expect(page.getByText("Your role does not allow this.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await expect(team.members().getByText("Support", { exact: true })).toBeVisible();
  await invitee.close();
});

test("role changes are written to the audit log with before and after", async ({ auth, team, settings }) => {
  const owner = newAccount("owner");
  await auth.signUp(owner);
  await team.invite("viewer-to-be@example.test", "viewer");
  await expect(team.inviteLink()).toBeVisible();
  await settings.openAudit();
  const row = settings.auditRow(/member\.invited/);
  await expect(row).toContainText(owner.email);
  await expect(row).toContainText("viewer-to-be@example.test");
  await expect(row).toContainText("role: viewer");
});

test("the invite form and the invited sign-up keep what was typed on an error, with focus on the bad field", async ({ page, auth, team }) => {
  await auth.signUp(newAccount("owner"));
  await team.open();
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Role", { exact: true }).selectOption("admin");
  await page.getByRole("button", { name: "Create invite link" }).click();
  await expect(page.locator("#invite-email-error")).toBeVisible();
  await expect(page.getByLabel("Email")).toBeFocused();
  await expect(page.getByLabel("Email")).toHaveValue("not-an-email");
  await expect(page.getByLabel("Role", { exact: true })).toHaveValue("admin");

  const invitee = await team.openInvite(await team.invite(newAccount("support").email, "support"));
  await invitee.page.getByRole("link", { name: "Create an account and join" }).click();
  await invitee.page.getByLabel("Your name").fill("Binh Support");
  await invitee.page.getByLabel("Password").fill("short");
  await invitee.page.getByRole("button", { name: /^Join / }).click();
  await expect(invitee.page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(invitee.page.getByLabel("Password")).toBeFocused();
  await expect(invitee.page.getByLabel("Your name")).toHaveValue("Binh Support");
});
