import { startFoloosiSimulator } from "../test/simulators/foloosi";
import { expect, newAccount, test } from "./fixtures";
import { rememberSecret } from "./run-files";

test("a merchant links Foloosi; a customer pays an invoice by card on Foloosi's page and the invoice shows paid", async ({ page, auth, settings, invoices, customers }) => {
  // Sign-up, linking, an invoice and a card payment through a second server: room for a busy machine.
  test.setTimeout(120_000);
  const sim = await startFoloosiSimulator();
  try {
    rememberSecret("Foloosi secret key", sim.secretKey);
    await auth.signUp(newAccount());
    const serviceId = await settings.linkGateway({
      kind: "foloosi",
      name: "Foloosi cards",
      fields: { merchantKey: sim.merchantKey, secretKey: sim.secretKey, apiBaseUrl: sim.url, widgetUrl: sim.url },
    });
    // What the merchant sets in Foloosi's panel for order.success and order.cancel.
    sim.setWebhook(new URL(`/api/providers/${serviceId}/notify`, page.url()).toString());

    const invoiceId = await invoices.create({ customer: "Ahmed Customer", email: "ahmed@example.test", currency: "AED", lines: [{ name: "Abaya", price: "250.50", qty: "1" }] });
    // The invoice's link offers Foloosi (the first service, the sandbox, is ticked by default).
    await page.getByRole("checkbox", { name: /Foloosi cards/ }).check();
    const code = await invoices.createLink();

    const checkout = await customers.checkout();
    await checkout.open(code);
    const foloosiTab = checkout.page.getByRole("link", { name: /Foloosi cards/ });
    if (await foloosiTab.count()) await foloosiTab.first().click();
    await checkout.page.getByTestId("pay-redirect").click();

    // Foloosi's hosted page, asked for exactly what the invoice owes.
    await expect(checkout.page.getByTestId("foloosi-amount")).toHaveText("AED 250.50");
    await checkout.page.getByRole("button", { name: "Pay", exact: true }).click();

    // Back on Settle's checkout: the webhook was confirmed with Foloosi's transaction API.
    await expect(checkout.page).toHaveURL(new RegExp(`/pay/${code}\\?`));
    await expect(checkout.status()).toContainText("Payment received. Thank you!");
    await checkout.close();
    expect(sim.deliveries).toHaveLength(1);
    expect(sim.deliveries[0]!.status).toBe(200);
    expect(sim.detailRequests).toHaveLength(1);

    await invoices.open(invoiceId);
    await expect(invoices.heading()).toContainText("Paid");
  } finally {
    await sim.close();
  }
});
