import { parseEmvco } from "../lib/connectors/vietqr";
import { startConnectionRecorder } from "../test/connection-recorder";
import { readQrPng } from "../test/read-qr";
import { seriousViolations } from "./axe";
import { expect, newAccount, test } from "./fixtures";
import { SHOP } from "./pages/checkout-pages";

test("an owner links a Vietnamese bank account; its link shows a VietQR with the bank's details", async ({ page, auth, settings, paymentLinks, customers }) => {
  // Sign-up, a bank account, a link and a download: room for a busy machine.
  test.setTimeout(120_000);
  await auth.signUp(newAccount());
  await settings.openPaymentServices();
  await settings.addPaymentServiceButton().click();
  await expect(page.getByText("Choose the bank.", { exact: true })).toBeVisible();
  await settings.addBankAccount({ name: "ACB account", bank: "970416", accountNumber: "257678859", holder: "Tran Tu Thien", signingSecret: "pss_0123456789abcdef" });
  await expect(settings.paymentServices().getByText("ACB · 257678859 · TRAN TU THIEN")).toBeVisible();

  const code = await paymentLinks.create({ services: ["ACB account"] });
  const checkout = await customers.checkout();
  await checkout.open(code);
  await expect(checkout.page.getByTestId("bank-name")).toHaveText("ACB");
  await expect(checkout.page.getByTestId("bank-account-name")).toHaveText("TRAN TU THIEN");
  await expect(checkout.page.getByTestId("bank-remark")).toHaveText(`SETTLE ${code}`);
  await expect(checkout.qr().locator("svg")).toBeVisible();
  // The saved image is the same VietQR: a banking app scanning it from the gallery reads this bank, account and note.
  const saved = await checkout.saveQrImage();
  expect(saved.name).toBe(`pay-${code}.png`);
  const emv = parseEmvco(readQrPng(saved.png)!);
  expect(emv.get("38")).toContain("0697041601092576788590");
  expect(emv.get("62")).toContain(code);
  expect(emv.get("58")).toBe("VN");
  await checkout.close();
});

test.describe("hosted checkout on a phone", () => {
  test("QR and bank details; a partial payment shows what remains without reload; the rest lands on the success URL", async ({ auth, paymentLinks, customers }) => {
    await auth.signUp(newAccount());
    const code = await paymentLinks.create({ successUrl: `${SHOP}/thanks` });

    const checkout = await customers.checkout();
    await checkout.open(code);
    await expect(checkout.page.getByText("₫100,000").first()).toBeVisible();
    await expect(checkout.qr().locator("svg")).toBeVisible();
    await expect(checkout.page.getByTestId("bank-name")).toHaveText("Settle Sandbox Bank");
    await expect(checkout.page.getByTestId("bank-remark")).toHaveText(`SETTLE ${code}`);
    await expect(checkout.page.getByTestId("bank-amount")).toHaveText("₫100,000");
    await expect(checkout.page.getByRole("button", { name: "Copy Transfer note" })).toBeVisible();
    await expect(checkout.page.getByText(/This link expires in\s+(29|30):\d\d/)).toBeVisible();
    // The countdown ticks in the browser, and a clock reads left to right in any language.
    const countdown = checkout.page.locator("time");
    const shown = await countdown.textContent();
    await expect(countdown).not.toHaveText(shown!, { timeout: 3_000 });
    await expect(countdown).toHaveText(/^(29|30):\d\d$/);
    await expect(countdown).toHaveAttribute("dir", "ltr");

    const bank = await checkout.openSandboxBank();
    await bank.pay("40000");
    // The open checkout, never reloaded, catches up by itself.
    await expect(checkout.page.getByTestId("amount-remaining")).toHaveText("₫60,000");
    await expect(checkout.status()).toContainText("We received ₫40,000. ₫60,000 is left to pay.");

    await bank.page.goto((await checkout.bankAppLink().getAttribute("href"))!);
    await expect(bank.due()).toHaveText("₫60,000");
    await bank.approve();
    await expect(checkout.page).toHaveURL(new RegExp(`^${SHOP}/thanks\\?payment_link_id=pl_[0-9a-z]+&status=paid$`), { timeout: 15_000 });
    await checkout.close();

    await paymentLinks.open("?payment=paid");
    await expect(paymentLinks.row(code)).toContainText("Paid");
  });

  test("Approve with a forged X-Forwarded-Host still pays, and Settle never connects to the host it names", async ({ auth, paymentLinks, customers }) => {
    await auth.signUp(newAccount());
    const code = await paymentLinks.create();
    const checkout = await customers.checkout();
    await checkout.open(code);
    const sandbox = new URL((await checkout.bankAppLink().getAttribute("href"))!, checkout.page.url());
    // What a script can send: headers naming a host of its choosing (here one that records every
    // connection), and an Origin to match them, so Next's own check lets the action through.
    const recorder = await startConnectionRecorder();
    try {
      const forged = { "x-forwarded-host": recorder.host, "x-forwarded-proto": "http", origin: `http://${recorder.host}` };
      const form = await checkout.page.request.get(sandbox.toString(), { headers: forged });
      expect(form.status()).toBe(200);
      // The Approve form as the page renders it for a browser without JavaScript.
      const actionField = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(await form.text())?.[1];
      expect(actionField).toBeDefined();
      const pressed = await checkout.page.request.post(sandbox.toString(), {
        headers: forged,
        multipart: { [actionField!]: "", code, service: sandbox.searchParams.get("service")!, flow: "qr", op: "approve" },
        maxRedirects: 0,
      });
      expect(pressed.status()).toBe(303);
      expect(pressed.headers().location).toContain(`/pay/${code}?return=1`);
      expect(recorder.connections).toEqual([]);
    } finally {
      await recorder.close();
    }
    await checkout.open(code);
    await expect(checkout.status()).toContainText("Payment received. Thank you!");
    await checkout.close();
  });

  test("redirect flow: a declined card offers retry and the failure URL; approving then pays", async ({ auth, paymentLinks, customers }) => {
    await auth.signUp(newAccount());
    const code = await paymentLinks.create({ successUrl: `${SHOP}/thanks`, failureUrl: `${SHOP}/cart` });
    const checkout = await customers.checkout();
    await checkout.open(code);
    await checkout.startCardPayment();
    await expect(checkout.page.getByRole("heading", { name: "Sandbox card page" })).toBeVisible();
    await checkout.declineCard();

    await expect(checkout.status()).toContainText("Your last payment did not go through.");
    await expect(checkout.status()).toContainText("Declined by the sandbox");
    await expect(checkout.page.getByRole("link", { name: /^Return to Shop/ })).toHaveAttribute("href", /^https:\/\/shop\.example\/cart\?payment_link_id=pl_\w+&status=failed$/);
    await checkout.retryCardPayment();
    await checkout.approveCard();
    await expect(checkout.page).toHaveURL(new RegExp(`^${SHOP}/thanks\\?payment_link_id=pl_\\w+&status=paid$`), { timeout: 15_000 });
    await checkout.close();
  });

  test("an expired link says so, and a canceled one too", async ({ page, auth, paymentLinks, customers }) => {
    await auth.signUp(newAccount());
    const code = await paymentLinks.create();
    const checkout = await customers.checkout();
    await checkout.open(code);
    const bank = await checkout.openSandboxBank();
    await bank.expireLink();
    await expect(checkout.status()).toContainText("This payment link has expired.");
    await expect(checkout.qr()).toHaveCount(0);

    const other = await paymentLinks.create({ description: "Second order" });
    // The new row arrives with the revalidated list; click it once it has settled.
    await expect(paymentLinks.row(other)).toBeVisible();
    await paymentLinks.cancel(other);
    await expect(page.getByText(`Link ${other} canceled`)).toBeVisible();
    await checkout.open(other);
    await expect(checkout.status()).toContainText(/This payment link was canceled by Shop/);
    await checkout.close();
  });

  test("two links on one invoice: a part paid through one lowers the other; once paid in full, the other says so", async ({ auth, invoices, customers }) => {
    await auth.signUp(newAccount());
    const id = await invoices.create({ customer: "Lan", currency: "VND", lines: [{ name: "Ao dai", price: "100000", qty: "1" }] });
    const first = await invoices.createLink();
    const second = await invoices.createLink();

    const checkout = await customers.checkout();
    await checkout.open(first);
    await (await checkout.openSandboxBank()).pay("40000");
    await checkout.open(second);
    await expect(checkout.page.getByTestId("amount-due")).toHaveText("₫60,000");
    await expect(checkout.page.getByTestId("bank-amount")).toHaveText("₫60,000");

    await checkout.open(first);
    await (await checkout.openSandboxBank()).pay("60000");
    await checkout.open(second);
    await expect(checkout.status()).toContainText("This invoice is already paid in full.");
    await expect(checkout.page.getByTestId("amount-due")).toHaveText("₫0");
    await expect(checkout.qr()).toHaveCount(0);
    await checkout.open(second, "?lang=ar");
    await expect(checkout.status()).toContainText("هذه الفاتورة مدفوعة بالكامل.");
    await checkout.close();

    await invoices.open(id);
    await expect(invoices.paymentLinks().getByRole("listitem").filter({ hasText: second })).toContainText("Closed: invoice paid");
  });

  test("Arabic is right to left, Vietnamese comes from Accept-Language, and the QR renders with JavaScript off", async ({ auth, paymentLinks, customers }) => {
    await auth.signUp(newAccount());
    const code = await paymentLinks.create();

    const ar = await customers.checkout();
    const arPage = ar.page;
    await ar.open(code, "?lang=ar");
    // On the whole document: scrollbars, selection, screen readers.
    const root = arPage.locator("html");
    await expect(root).toHaveAttribute("dir", "rtl");
    await expect(root).toHaveAttribute("lang", "ar");
    await expect(arPage.getByText("المبلغ المستحق")).toBeVisible();
    await arPage.getByRole("link", { name: "English" }).click();
    await expect(root).toHaveAttribute("dir", "ltr");
    await expect(root).toHaveAttribute("lang", "en");
    await ar.close();

    const vi = await customers.checkout({ locale: "vi-VN" });
    const viPage = vi.page;
    await vi.open(code);
    await expect(viPage.locator("html")).toHaveAttribute("lang", "vi");
    await expect(viPage.getByText("Số tiền cần trả")).toBeVisible();
    await expect(viPage.getByTestId("bank-amount")).toHaveText(/100\.000\s*₫/);
    await vi.close();

    const noJs = await customers.checkout({ javaScriptEnabled: false });
    const noJsPage = noJs.page;
    await noJs.open(code);
    await expect(noJs.qr().locator("svg path").first()).toBeAttached();
    await expect(noJsPage.getByTestId("bank-remark")).toHaveText(`SETTLE ${code}`);
    await noJs.close();
  });

  test("no serious or critical accessibility violations in any state, in all three languages (screenshots kept)", async ({ auth, paymentLinks, customers, browser }) => {
    // About 2 minutes of axe scans on a quiet 2-core machine; the limit leaves room for a busy one.
    test.setTimeout(900_000);
    await auth.signUp(newAccount());
    const open = await paymentLinks.create({ description: "Open order" });
    const partial = await paymentLinks.create({ description: "Partly paid order" });
    const failed = await paymentLinks.create({ description: "Declined order", failureUrl: `${SHOP}/cart` });
    const paid = await paymentLinks.create({ description: "Paid order" });
    const expired = await paymentLinks.create({ description: "Expired order" });

    const checkout = await customers.checkout();
    const p = checkout.page;
    // Put each link in its state through the sandbox, as a customer would.
    await checkout.open(partial);
    await (await checkout.openSandboxBank()).pay("25000");
    await checkout.open(paid);
    await (await checkout.openSandboxBank()).pay("100000");
    await checkout.open(expired);
    await (await checkout.openSandboxBank()).expireLink();
    await checkout.open(failed);
    await checkout.startCardPayment();
    await checkout.declineCard();
    await expect(checkout.status()).toContainText("did not go through");
    await checkout.open(open);
    const tab = await p.getByRole("link", { name: /Card or e-wallet/ }).getAttribute("href");
    const redirectKey = new URL(tab!, "http://x").searchParams.get("method");

    const states: [string, string, string][] = [
      ["open-qr", open, ""],
      ["open-redirect", open, redirectKey ? `&method=${redirectKey}` : ""],
      ["partial", partial, ""],
      ["failed", failed, ""],
      ["paid", paid, ""],
      ["expired", expired, ""],
      ["not-found", "ZZZZZZZZ", ""],
    ];
    const problems: string[] = [];
    // The checkout follows the phone's light or dark mode: both pass.
    for (const colorScheme of ["light", "dark"] as const) {
      await p.emulateMedia({ colorScheme });
      for (const lang of ["en", "ar", "vi"]) {
        for (const [name, code, extra] of states) {
          await p.goto(`/pay/${code}?lang=${lang}${extra}`);
          await expect(p.locator(`html[lang="${lang}"]`)).toHaveCount(1);
          for (const v of await seriousViolations(p)) problems.push(`${colorScheme}/${lang}/${name}: ${v}`);
          if (name === "open-qr" || name === "partial" || name === "failed") {
            await p.screenshot({ path: `test-results/checkout-screens/phone-${colorScheme}-${lang}-${name}.png`, fullPage: true });
          }
        }
      }
    }
    const desktop = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    for (const lang of ["en", "ar", "vi"]) {
      await desktop.goto(`/pay/${open}?lang=${lang}`);
      await desktop.screenshot({ path: `test-results/checkout-screens/desktop-${lang}-open.png`, fullPage: true });
    }
    await desktop.close();
    await checkout.close();
    expect(problems).toEqual([]);
  });
});
