import { startReceiver } from "../test/webhook-receiver";
import { seriousViolations } from "./axe";
import { expect, newAccount, test } from "./fixtures";
import { InvoicePages } from "./pages/invoice-pages";

/** The events of one type the receiver got, parsed. */
const eventsOf = (received: { body: string; verifiedWith: number[] }[], type: string) =>
  received.map((r) => ({ ...(JSON.parse(r.body) as { type: string; data: Record<string, Record<string, unknown>> }), verifiedWith: r.verifiedWith })).filter((e) => e.type === type);

test("a card payment refunded in part from the invoice: refunded and net shown, signed refund events sent; too much and a declined refund", async ({
  page,
  auth,
  invoices,
  webhooks,
  customers,
}) => {
  // Sign-up, a checkout paid by card and three refunds: room for a busy machine.
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  const owner = newAccount("owner");
  await auth.signUp(owner);
  await webhooks.addEndpoint(receiver.url, { description: "Accounting" });
  receiver.setSecrets([await webhooks.revealSecret()]);

  const id = await invoices.create({ customer: "Minh Nguyen", lines: [{ name: "Espresso machine", price: "100", qty: "1" }] });
  const code = await invoices.createLink();
  const checkout = await customers.checkout();
  await checkout.open(code);
  await checkout.startCardPayment();
  await checkout.approveCard();
  await expect(checkout.status()).toContainText("Payment received. Thank you!", { timeout: 15_000 });
  await checkout.close();

  await invoices.open(id);
  await expect(invoices.heading()).toContainText("Paid");
  await expect(page.getByTestId("invoice-refunded")).toHaveCount(0);
  await invoices.refundLink().click();
  const form = invoices.refundForm();
  // Prefilled with all that can go back; test mode's sandbox asks how the refund should end.
  await expect(form.getByLabel(/^Amount/)).toHaveValue("$100.00");
  await expect(form.getByRole("group", { name: "Sandbox outcome" }).getByLabel("Refund succeeds")).toBeChecked();
  await expect(form.getByLabel("Transfer reference")).toHaveCount(0);

  await invoices.refund({ amount: "25.50", reason: "One cup arrived chipped" });
  await expect(invoices.refunds()).toHaveCount(1);
  await expect(form).toHaveCount(0);
  const first = invoices.refunds().first();
  await expect(first).toContainText("$25.50");
  await expect(first).toContainText("Succeeded");
  await expect(first).toContainText("One cup arrived chipped");
  await expect(first).toContainText(`by ${owner.email}`);
  // What was paid stays Paid; refunded and net stand beside it.
  await expect(invoices.heading()).toContainText("Paid");
  await expect(page.getByTestId("invoice-paid")).toHaveText("$100.00");
  await expect(page.getByTestId("invoice-refunded")).toHaveText("$25.50");
  await expect(page.getByTestId("invoice-net")).toHaveText("$74.50");
  await expect(page.getByTestId("payment-refunded")).toHaveText("$25.50 refunded");
  await expect(invoices.timeline().getByText("Refund requested", { exact: true })).toBeVisible();
  await expect(invoices.timeline().getByText("Refunded", { exact: true })).toBeVisible();
  await expect(invoices.timeline().getByText("$25.50 · One cup arrived chipped")).toHaveCount(2);

  // The endpoint hears of it, signed, with the amount and the reason.
  await expect.poll(() => eventsOf(receiver.received, "refund.succeeded").length, { timeout: 15_000 }).toBe(1);
  for (const type of ["refund.created", "refund.succeeded"]) {
    const [event] = eventsOf(receiver.received, type);
    expect(event, type).toBeDefined();
    expect(event!.verifiedWith).toEqual([0]);
    expect(event!.data.refund).toMatchObject({ amount: 2550, currency: "USD", reason: "One cup arrived chipped" });
  }
  const [succeeded] = eventsOf(receiver.received, "refund.succeeded");
  expect(succeeded!.data.refund).toMatchObject({ status: "succeeded" });
  expect(succeeded!.data.invoice).toMatchObject({ payment_status: "paid", paid_amount: 10000, refunded_amount: 2550, net_amount: 7450 });

  // More than is left: the amount's own error, what was typed kept, nothing written.
  await invoices.refund({ amount: "80", reason: "Changed their mind" });
  const amount = invoices.refundForm().getByLabel(/^Amount/);
  await expect(invoices.refundForm().getByText("At most $74.50 can be refunded on this payment.")).toBeVisible();
  await expect(amount).toBeFocused();
  await expect(amount).toHaveValue("80");
  await expect(invoices.refundForm().getByLabel("Reason")).toHaveValue("Changed their mind");
  await expect(invoices.refunds()).toHaveCount(1);
  await expect(page.getByTestId("invoice-refunded")).toHaveText("$25.50");
  // The refunds, and the form in error, read well to assistive technology.
  expect(await seriousViolations(page)).toEqual([]);

  // A refund the sandbox is told to decline: listed as failed with its message; nothing more refunded.
  await invoices.refund({ amount: "10", reason: "Trying a decline", outcome: "Refund fails" });
  await expect(invoices.refunds()).toHaveCount(2);
  const declined = invoices.refunds().nth(1);
  await expect(declined).toContainText("$10.00");
  await expect(declined).toContainText("Failed");
  await expect(declined).toContainText("The sandbox declined this refund, as asked.");
  await expect(page.getByTestId("invoice-refunded")).toHaveText("$25.50");
  await expect(page.getByTestId("invoice-net")).toHaveText("$74.50");
  await expect(invoices.timeline().getByText("Refund failed", { exact: true })).toBeVisible();
  await expect.poll(() => eventsOf(receiver.received, "refund.failed").length, { timeout: 15_000 }).toBe(1);
  expect(eventsOf(receiver.received, "refund.failed")[0]!.data.refund).toMatchObject({ amount: 1000, status: "failed", failure_message: "The sandbox declined this refund, as asked." });
  expect(eventsOf(receiver.received, "refund.created")).toHaveLength(2);
  await receiver.close();
});

test("money received by hand goes back by hand, without JavaScript too; support sees refunds but cannot refund", async ({ page, auth, invoices, team, browser }) => {
  test.setTimeout(90_000);
  await auth.signUp(newAccount("owner"));
  const id = await invoices.create({ customer: "Lan", lines: [{ name: "Consulting", price: "200", qty: "1" }] });
  await invoices.recordPayment("200", "BANK-IN-1");
  await expect(invoices.heading()).toContainText("Paid");

  // A browser without JavaScript: the Refund link opens the form, the form posts.
  const noJs = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = new InvoicePages(await noJs.newPage());
  await plain.open(id);
  await plain.refundLink().click();
  const form = plain.refundForm();
  await expect(form.getByText("This money came outside Settle, so it goes back outside Settle too", { exact: false })).toBeVisible();
  await expect(form.getByRole("group", { name: "Sandbox outcome" })).toHaveCount(0);
  // The transfer's reference is required for money going back outside Settle.
  await plain.refund({ amount: "50", reason: "Overcharged for an hour" });
  await expect(form.getByText(/Enter the reference of the transfer that sent the money back/)).toBeVisible();
  await expect(plain.refunds()).toHaveCount(0);
  await plain.refund({ amount: "50", reason: "Overcharged for an hour", reference: "FT-BACK-7" });
  await expect(plain.refunds()).toHaveCount(1);
  await noJs.close();

  await invoices.open(id);
  const refund = invoices.refunds().first();
  await expect(refund).toContainText("$50.00");
  await expect(refund).toContainText("Succeeded");
  await expect(refund).toContainText("Recorded by hand");
  await expect(refund).toContainText("transfer ref FT-BACK-7");
  await expect(page.getByTestId("invoice-net")).toHaveText("$150.00");
  const paymentId = new URL((await invoices.refundLink().getAttribute("href"))!, "http://x").searchParams.get("refund");

  const support = await team.joinAs("support");
  const theirs = new InvoicePages(support.page);
  await theirs.open(id);
  await expect(theirs.refunds()).toHaveCount(1);
  await expect(theirs.refunds().first()).toContainText("Overcharged for an hour");
  await expect(support.page.getByTestId("invoice-refunded")).toHaveText("$50.00");
  await expect(support.page.getByRole("link", { name: /^Refund/ })).toHaveCount(0);
  await expect(support.page.getByRole("button", { name: /^Refund/ })).toHaveCount(0);
  // Nor does the form's own address open it for them.
  await support.page.goto(`/invoices/${id}?refund=${paymentId}`);
  await expect(theirs.refunds()).toHaveCount(1);
  await expect(theirs.refundForm()).toHaveCount(0);
  await support.close();
});
