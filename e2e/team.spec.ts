import { expect, newAccount, test } from "./fixtures";
import { AuthPages } from "./fixtures";

test("an owner invites a support member who can read the team but not manage it", async ({ page, auth, browser }) => {
  const owner = newAccount("owner");
  await auth.signUp(owner);
  await page.goto("/settings/team");

  const support = newAccount("support");
  await page.getByLabel("Email").fill(support.email);
  await page.getByLabel("Role", { exact: true }).selectOption("support");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/invite\/[\w-]{20,}$/);
  await expect(page.getByRole("list", { name: "Pending invites" }).getByText(support.email)).toBeVisible();

  // The invitee opens the link in a browser of their own.
  const supportContext = await browser.newContext();
  const supportPage = await supportContext.newPage();
  await supportPage.goto(link);
  await expect(supportPage.getByRole("heading", { name: `Join ${owner.merchant}` })).toBeVisible();
  await supportPage.getByRole("link", { name: "Create an account and join" }).click();
  await new AuthPages(supportPage).signUp(support, { invite: link.split("/invite/")[1] });
  await expect(supportPage.getByTestId("merchant-name")).toHaveText(owner.merchant);

  // UI: support sees the team but no invite form and no role controls.
  await supportPage.goto("/settings/team");
  await expect(supportPage.getByRole("list", { name: "Members" }).getByText(owner.email)).toBeVisible();
  await expect(supportPage.getByRole("button", { name: "Create invite link" })).toHaveCount(0);
  await expect(supportPage.getByRole("combobox")).toHaveCount(0);
  await expect(supportPage.getByText("Only owners and admins can manage the team.")).toBeVisible();

  // Server: the owner's page, with its role controls, now runs as the support user.
  await page.reload();
  const roleSelect = page.getByLabel(`Role of ${support.email}`);
  await expect(roleSelect).toHaveValue("support");
  await page.context().clearCookies();
  await page.context().addCookies(await supportContext.cookies());
  await roleSelect.selectOption("admin");
  await expect(page.getByText("Your role does not allow this.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Members" }).getByText("Support", { exact: true })).toBeVisible();
  await supportContext.close();
});

test("role changes are written to the audit log with before and after", async ({ page, auth }) => {
  const owner = newAccount("owner");
  await auth.signUp(owner);
  await page.goto("/settings/team");
  await page.getByLabel("Email").fill("viewer-to-be@example.test");
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create invite link" }).click();
  await expect(page.getByTestId("invite-link")).toBeVisible();
  await page.goto("/settings/audit");
  const row = page.getByRole("row", { name: /member\.invited/ });
  await expect(row).toContainText(owner.email);
  await expect(row).toContainText("viewer-to-be@example.test");
  await expect(row).toContainText("role: viewer");
});
