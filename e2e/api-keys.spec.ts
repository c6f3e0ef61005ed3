import { apiClient } from "./api-client";
import { confirmDialog, expect, newAccount, test } from "./fixtures";
import { ApiKeyPages } from "./pages/api-key-pages";

test("an owner makes an API key, sees its secret once, uses it, and revokes it", async ({ page, auth, apiKeys, settings, request }) => {
  await auth.signUp(newAccount());
  await settings.open();
  await settings.nav().getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(page.getByText("No API keys yet.")).toBeVisible();

  await apiKeys.createButton().click();
  await expect(page.getByText("Name the key, e.g. the system that will use it.")).toBeVisible();
  const key = await apiKeys.create("Order system");
  await expect(apiKeys.curl()).toContainText(`-H "Authorization: Bearer ${key.secret}"`);
  await expect(page.getByRole("button", { name: "Copy Secret" })).toBeVisible();
  const row = apiKeys.row(key.clientId);
  await expect(row).toContainText("Order system");
  // Made in test mode (where a new account opens): the key says so.
  expect(key.secret).toMatch(/^sk_test_/);
  await expect(row).toContainText(`${key.secret.slice(0, 16)}…`);
  await expect(row).toContainText("Never");

  // The curl line, as a merchant's server would send it.
  const api = apiClient(request, key);
  expect((await api.bearer("/invoices")).status).toBe(200);
  expect((await api.get("/payment-services")).status).toBe(200);

  // Shown once: after a reload only the prefix is left, and the key has been used.
  await page.reload();
  await expect(apiKeys.secret()).toHaveCount(0);
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

  await settings.openAudit();
  await expect(settings.auditRow(/api_key\.revoked/)).toBeVisible();
  await expect(settings.auditRow(/api_key\.created/)).toBeVisible();
});

test("a read-only key reads everything and is refused every change", async ({ auth, apiKeys, request }) => {
  await auth.signUp(newAccount());
  const key = await apiKeys.create("Reporting", "viewer");
  await expect(apiKeys.row(key.clientId)).toContainText("Read only");
  const api = apiClient(request, key);
  expect((await api.get("/invoices")).status).toBe(200);
  const refused = await api.post("/invoices", { currency: "USD", items: [{ name: "Tea", unit_price: 500, quantity: 1 }], customer: { name: "Ada" } });
  expect(refused.status).toBe(403);
  expect(refused.json.error).toEqual({ code: "forbidden", message: "This API key's access (read only) does not allow this." });
  expect((await api.get("/invoices")).json.data).toEqual([]);
});

test("support and viewers see the keys but cannot create or revoke them", async ({ auth, apiKeys, team }) => {
  await auth.signUp(newAccount());
  await apiKeys.create("Shop backend");
  for (const role of ["support", "viewer"] as const) {
    const member = await team.joinAs(role);
    const theirKeys = new ApiKeyPages(member.page);

    await theirKeys.open();
    await expect(theirKeys.table()).toContainText("Shop backend");
    await expect(member.page.getByText("Only owners and admins can create or revoke API keys.")).toBeVisible();
    await expect(theirKeys.createButton()).toHaveCount(0);
    await expect(member.page.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);
    await member.close();
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
