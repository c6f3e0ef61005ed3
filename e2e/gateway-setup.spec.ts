import type { Page } from "@playwright/test";
import { seriousViolations } from "./axe";
import { expect, newAccount, test } from "./fixtures";
import { rememberSecret } from "./run-files";

/**
 * For each gateway: fields its connector's setup accepts, one field given a
 * value its schema refuses, and a secret field. The test links the first of
 * these the settings page offers (the connectors that have landed); it fails
 * when none is offered.
 */
const gateways: Record<string, { fields: Record<string, string>; bad: { field: string; value: string }; secret: string }> = {
  myfatoorah: {
    fields: { baseUrl: "https://apitest.myfatoorah.com", currency: "KWD", apiKey: "mf_e2e_token_0123456789abcdef", webhookSecret: "mf_e2e_webhook_secret_01" },
    bad: { field: "currency", value: "XYZ" },
    secret: "apiKey",
  },
  foloosi: {
    fields: { merchantKey: "test_e2e_merchant_key_0123", secretKey: "test_e2e_secret_key_456789" },
    bad: { field: "merchantKey", value: "has a space" },
    secret: "secretKey",
  },
  ipint: {
    fields: { baseUrl: "https://api.ipint.io:8002", apiKey: "ipint_e2e_key_01234567", apiSecret: "ipint_e2e_secret_7654321" },
    bad: { field: "baseUrl", value: "not an address" },
    secret: "apiSecret",
  },
  finan: {
    fields: { clientId: "finan-e2e-client", secretKey: "finan_e2e_secret_0123456", bankBin: "970416", accountNumber: "257678859", accountName: "TRAN TU THIEN" },
    bad: { field: "bankBin", value: "123" },
    secret: "secretKey",
  },
  furatpay: {
    fields: { baseUrl: "https://api.furatpay.com/v1", apiKey: "furat_e2e_key_01234567", webhookSecret: "furat_e2e_hook_0123456", redirectServiceId: "1" },
    bad: { field: "redirectServiceId", value: "abc" },
    secret: "apiKey",
  },
};

async function axeBothSchemes(page: Page, what: string): Promise<string[]> {
  const problems: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const v of await seriousViolations(page)) problems.push(`${colorScheme} ${what}: ${v}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  return problems;
}

test("linking a gateway: a bad field is named and focused with the rest kept, then it is listed with its notification URL and edited", async ({ page, auth, settings, request }) => {
  test.setTimeout(180_000);
  await auth.signUp(newAccount());
  await settings.openPaymentServices();
  const form = settings.addServiceForm();
  const offered = await form.locator('select[name="kind"] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  const kind = Object.keys(gateways).find((k) => offered.includes(k));
  expect(kind, `a gateway offered in the kind picker (offered: ${offered.join(", ")})`).toBeTruthy();
  const { fields, bad, secret } = gateways[kind!]!;
  const name = "My gateway";
  // The run's teardown checks that no secret typed here reached the server log.
  for (const field of Object.keys(fields).filter((f) => f === secret || /secret/i.test(f))) rememberSecret(`${kind} ${field}`, fields[field]!);

  // A bad field: named, focused, every other value still typed.
  await settings.fillGateway({ kind: kind!, name, fields: { ...fields, [bad.field]: bad.value } });
  await settings.addPaymentServiceButton().click();
  const badInput = form.locator(`[name="${bad.field}"]`);
  await expect(badInput).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator(`#gateway-${bad.field}-error`)).toBeVisible();
  await expect(badInput).toBeFocused();
  await expect(form.locator('input[name="name"]')).toHaveValue(name);
  for (const [field, value] of Object.entries(fields)) if (field !== bad.field) await expect(form.locator(`[name="${field}"]`)).toHaveValue(value);
  await expect(form.locator(`[name="${secret}"]`)).toHaveAttribute("type", "password");
  const problems = await axeBothSchemes(page, "gateway form with an error");

  // Fixed, it is linked and listed with its notification URL; its secret is never on the page.
  const id = await settings.linkGateway({ kind: kind!, name, fields });
  expect(id).toMatch(/^svc_/);
  const row = settings.paymentService(name);
  await expect(row.getByText(new RegExp(`^Notify URL: http://127\\.0\\.0\\.1:\\d+/api/providers/${id}/notify$`))).toBeVisible();
  await expect(row).toContainText(/ set/);
  expect(await page.content()).not.toContain(fields[secret]!);
  // The URL shown names the service: a forged message there is the gateway's to refuse, not "no such service".
  const forged = await request.post(`/api/providers/${id}/notify`, { data: { forged: true }, headers: { "x-signature": "0".repeat(64) } });
  expect(forged.status(), await forged.text()).not.toBe(404);
  expect(forged.status()).toBeLessThan(500);

  // Edited with its secret left empty: kept.
  await settings.openPaymentService(name);
  await expect(page.locator(`[name="${secret}"]`)).toHaveValue("");
  problems.push(...(await axeBothSchemes(page, "gateway edit page")));
  await page.getByLabel("Name customers see").fill("My gateway (main)");
  await page.getByRole("button", { name: "Save payment service" }).click();
  await expect(page.getByRole("heading", { name: "My gateway (main)" })).toBeVisible();
  await expect(page.getByText(/Leave empty to keep the current value/).first()).toBeVisible();
  expect(await page.content()).not.toContain(fields[secret]!);
  await settings.openPaymentServices();
  await expect(settings.paymentService("My gateway (main)").getByText(`/api/providers/${id}/notify`)).toBeVisible();
  expect(problems).toEqual([]);
});
