import { apiClient, createKeyInUi } from "./api-client";
import { confirmDialog, expect, newAccount, test } from "./fixtures";

test("an owner makes an API key, sees its secret once, uses it, and revokes it", async ({ page, auth, request }) => {
  await auth.signUp(newAccount());
  await page.goto("/settings");
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(page.getByText("No API keys yet.")).toBeVisible();

  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(page.getByText("Name the key, e.g. the system that will use it.")).toBeVisible();
  const key = await createKeyInUi(page, "Order system");
  await expect(page.getByTestId("api-curl")).toContainText(`-H "Authorization: Bearer ${key.secret}"`);
  await expect(page.getByRole("button", { name: "Copy Secret" })).toBeVisible();
  const row = page.getByRole("table", { name: "API keys" }).locator(`tr[data-key="${key.clientId}"]`);
  await expect(row).toContainText("Order system");
  await expect(row).toContainText(`${key.secret.slice(0, 11)}…`);
  await expect(row).toContainText("Never");

  // The curl line, as a merchant's server would send it.
  const api = apiClient(request, key);
  expect((await api.bearer("/invoices")).status).toBe(200);
  expect((await api.get("/payment-services")).status).toBe(200);

  // Shown once: after a reload only the prefix is left, and the key has been used.
  await page.reload();
  await expect(page.getByTestId("api-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(key.secret);
  await expect(row).not.toContainText("Never");

  await row.getByRole("button", { name: "Revoke Order system" }).click();
  await expect(page.getByRole("dialog", { name: 'Revoke "Order system"?' })).toBeVisible();
  await confirmDialog(page, "Revoke key");
  await expect(row).toContainText("Revoked");
  const refused = await api.bearer("/invoices");
  expect(refused.status).toBe(401);
  expect(refused.json.error.code).toBe("revoked_key");
  expect((await api.get("/invoices")).json.error.code).toBe("revoked_key");

  await page.goto("/settings/audit");
  await expect(page.getByRole("row", { name: /api_key\.revoked/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /api_key\.created/ })).toBeVisible();
});

test("a read-only key reads everything and is refused every change", async ({ page, auth, request }) => {
  await auth.signUp(newAccount());
  const key = await createKeyInUi(page, "Reporting", "viewer");
  const row = page.getByRole("table", { name: "API keys" }).locator(`tr[data-key="${key.clientId}"]`);
  await expect(row).toContainText("Read only");
  const api = apiClient(request, key);
  expect((await api.get("/invoices")).status).toBe(200);
  const refused = await api.post("/invoices", { currency: "USD", items: [{ name: "Tea", unit_price: 500, quantity: 1 }], customer: { name: "Ada" } });
  expect(refused.status).toBe(403);
  expect(refused.json.error).toEqual({ code: "forbidden", message: "This API key's access (read only) does not allow this." });
  expect((await api.get("/invoices")).json.data).toEqual([]);
});

test("support and viewers see the keys but cannot create or revoke them", async ({ page, auth, browser }) => {
  await auth.signUp(newAccount());
  await createKeyInUi(page, "Shop backend");
  for (const role of ["support", "viewer"] as const) {
    await page.goto("/settings/team");
    const member = newAccount(role);
    await page.getByLabel("Email").fill(member.email);
    await page.getByLabel("Role", { exact: true }).selectOption(role);
    await page.getByRole("button", { name: "Create invite link" }).click();
    const link = await page.getByTestId("invite-link").inputValue();
    const ctx = await browser.newContext();
    const other = await ctx.newPage();
    await other.goto(`/signup?invite=${link.split("/invite/")[1]}`);
    await other.getByLabel("Your name").fill(member.name);
    await other.getByLabel("Password").fill(member.password);
    await other.getByRole("button", { name: /^Join / }).click();
    await expect(other).toHaveURL(/\/dashboard$/);

    await other.goto("/settings/api-keys");
    await expect(other.getByRole("table", { name: "API keys" })).toContainText("Shop backend");
    await expect(other.getByText("Only owners and admins can create or revoke API keys.")).toBeVisible();
    await expect(other.getByRole("button", { name: "Create API key" })).toHaveCount(0);
    await expect(other.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);
    await ctx.close();
  }
});

test("the API reference renders from the app alone, with no other host", async ({ page }) => {
  const elsewhere: string[] = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    elsewhere.push(url.toString());
    return route.abort();
  });
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "Settle API" }).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("Create an invoice").first()).toBeVisible();
  await expect(page.getByText("standardwebhooks").first()).toBeVisible();
  expect(elsewhere).toEqual([]);
});
