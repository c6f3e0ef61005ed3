import { seriousViolations } from "./axe";
import { Checkout, createLink, customer, sandboxPay, SHOP } from "./checkout-pages";
import { confirmDialog, expect, newAccount, test } from "./fixtures";

test("an owner links a Vietnamese bank account; its link shows a VietQR with the bank's details", async ({ page, auth, browser }) => {
  await auth.signUp(newAccount());
  await page.goto("/settings/payment-services");
  await page.getByRole("button", { name: "Add payment service" }).click();
  await expect(page.getByText("Choose the bank.", { exact: true })).toBeVisible();
  await page.getByLabel("Name customers see").fill("ACB account");
  await page.getByLabel("Bank", { exact: true }).selectOption("970416");
  await page.getByLabel("Account number").fill("257678859");
  await page.getByLabel("Account holder").fill("Tran Tu Thien");
  await page.getByLabel("Notification signing secret").fill("pss_0123456789abcdef");
  await page.getByRole("button", { name: "Add payment service" }).click();
  await expect(page.getByRole("list", { name: "Payment services" }).getByText("ACB · 257678859 · TRAN TU THIEN")).toBeVisible();

  const code = await createLink(page, { services: ["ACB account"] });
  const ctx = await customer(browser);
  const checkout = new Checkout(await ctx.newPage());
  await checkout.open(code);
  await expect(checkout.page.getByTestId("bank-name")).toHaveText("ACB");
  await expect(checkout.page.getByTestId("bank-account-name")).toHaveText("TRAN TU THIEN");
  await expect(checkout.page.getByTestId("bank-remark")).toHaveText(`SETTLE ${code}`);
  await expect(checkout.page.getByTestId("checkout-qr").locator("svg")).toBeVisible();
  await ctx.close();
});

test.describe("hosted checkout on a phone", () => {
  test("QR and bank details; a partial payment shows what remains without reload; the rest lands on the success URL", async ({ page, auth, browser }) => {
    await auth.signUp(newAccount());
    const code = await createLink(page, { successUrl: `${SHOP}/thanks` });

    const ctx = await customer(browser);
    const checkout = new Checkout(await ctx.newPage());
    await checkout.open(code);
    await expect(checkout.page.getByText("₫100,000").first()).toBeVisible();
    await expect(checkout.page.getByTestId("checkout-qr").locator("svg")).toBeVisible();
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
    await sandboxPay(bank, "40000");
    // The open checkout, never reloaded, catches up by itself.
    await expect(checkout.page.getByTestId("amount-remaining")).toHaveText("₫60,000");
    await expect(checkout.status()).toContainText("We received ₫40,000. ₫60,000 is left to pay.");

    await bank.goto(await checkout.page.getByRole("link", { name: "Open the sandbox bank app" }).getAttribute("href").then((h) => h!));
    await expect(bank.getByTestId("sandbox-due")).toHaveText("₫60,000");
    await bank.getByRole("button", { name: /^Approve/ }).click();
    await expect(checkout.page).toHaveURL(new RegExp(`^${SHOP}/thanks\\?payment_link_id=pl_[0-9a-z]+&status=paid$`), { timeout: 15_000 });
    await ctx.close();

    await page.goto("/payment-links?payment=paid");
    await expect(page.getByTestId("payment-links").locator(`tr[data-code="${code}"]`)).toContainText("Paid");
  });

  test("redirect flow: a declined card offers retry and the failure URL; approving then pays", async ({ page, auth, browser }) => {
    await auth.signUp(newAccount());
    const code = await createLink(page, { successUrl: `${SHOP}/thanks`, failureUrl: `${SHOP}/cart` });
    const ctx = await customer(browser);
    const checkout = new Checkout(await ctx.newPage());
    await checkout.open(code);
    await checkout.page.getByRole("link", { name: /Card or e-wallet/ }).click();
    await checkout.page.getByRole("link", { name: "Pay with Sandbox" }).click();
    await expect(checkout.page.getByRole("heading", { name: "Sandbox card page" })).toBeVisible();
    await checkout.page.getByRole("button", { name: "Decline" }).click();

    await expect(checkout.status()).toContainText("Your last payment did not go through.");
    await expect(checkout.status()).toContainText("Declined by the sandbox");
    await expect(checkout.page.getByRole("link", { name: /^Return to Shop/ })).toHaveAttribute("href", /^https:\/\/shop\.example\/cart\?payment_link_id=pl_\w+&status=failed$/);
    await checkout.page.getByRole("link", { name: "Try again" }).click();
    await checkout.page.getByRole("link", { name: "Pay with Sandbox" }).click();
    await checkout.page.getByRole("button", { name: /^Approve/ }).click();
    await expect(checkout.page).toHaveURL(new RegExp(`^${SHOP}/thanks\\?payment_link_id=pl_\\w+&status=paid$`), { timeout: 15_000 });
    await ctx.close();
  });

  test("an expired link says so, and a canceled one too", async ({ page, auth, browser }) => {
    await auth.signUp(newAccount());
    const code = await createLink(page);
    const ctx = await customer(browser);
    const checkout = new Checkout(await ctx.newPage());
    await checkout.open(code);
    const bank = await checkout.openSandboxBank();
    await bank.getByRole("button", { name: "Expire the link now" }).click();
    await expect(checkout.status()).toContainText("This payment link has expired.");
    await expect(checkout.page.getByTestId("checkout-qr")).toHaveCount(0);

    const other = await createLink(page, { description: "Second order" });
    // The new row arrives with the revalidated list; click it once it has settled.
    const row = page.getByTestId("payment-links").locator(`tr[data-code="${other}"]`);
    await expect(row).toBeVisible();
    await row.getByRole("button", { name: `Cancel link ${other}` }).click();
    await confirmDialog(page, "Cancel link");
    await expect(page.getByText(`Link ${other} canceled`)).toBeVisible();
    await checkout.open(other);
    await expect(checkout.status()).toContainText(/This payment link was canceled by Shop/);
    await ctx.close();
  });

  test("Arabic is right to left, Vietnamese comes from Accept-Language, and the QR renders with JavaScript off", async ({ page, auth, browser }) => {
    await auth.signUp(newAccount());
    const code = await createLink(page);

    const ar = await customer(browser);
    const arPage = await ar.newPage();
    await arPage.goto(`/pay/${code}?lang=ar`);
    // On the whole document: scrollbars, selection, screen readers.
    const root = arPage.locator("html");
    await expect(root).toHaveAttribute("dir", "rtl");
    await expect(root).toHaveAttribute("lang", "ar");
    await expect(arPage.getByText("المبلغ المستحق")).toBeVisible();
    await arPage.getByRole("link", { name: "English" }).click();
    await expect(root).toHaveAttribute("dir", "ltr");
    await expect(root).toHaveAttribute("lang", "en");
    await ar.close();

    const vi = await customer(browser, { locale: "vi-VN" });
    const viPage = await vi.newPage();
    await viPage.goto(`/pay/${code}`);
    await expect(viPage.locator("html")).toHaveAttribute("lang", "vi");
    await expect(viPage.getByText("Số tiền cần trả")).toBeVisible();
    await expect(viPage.getByTestId("bank-amount")).toHaveText(/100\.000\s*₫/);
    await vi.close();

    const noJs = await customer(browser, { javaScriptEnabled: false });
    const noJsPage = await noJs.newPage();
    await noJsPage.goto(`/pay/${code}`);
    await expect(noJsPage.getByTestId("checkout-qr").locator("svg path").first()).toBeAttached();
    await expect(noJsPage.getByTestId("bank-remark")).toHaveText(`SETTLE ${code}`);
    await noJs.close();
  });

  test("no serious or critical accessibility violations in any state, in all three languages (screenshots kept)", async ({ page, auth, browser }) => {
    test.setTimeout(180_000);
    await auth.signUp(newAccount());
    const open = await createLink(page, { description: "Open order" });
    const partial = await createLink(page, { description: "Partly paid order" });
    const failed = await createLink(page, { description: "Declined order", failureUrl: `${SHOP}/cart` });
    const paid = await createLink(page, { description: "Paid order" });
    const expired = await createLink(page, { description: "Expired order" });

    const ctx = await customer(browser);
    const p = await ctx.newPage();
    const checkout = new Checkout(p);
    // Put each link in its state through the sandbox, as a customer would.
    await checkout.open(partial);
    await sandboxPay(await checkout.openSandboxBank(), "25000");
    await checkout.open(paid);
    await sandboxPay(await checkout.openSandboxBank(), "100000");
    await checkout.open(expired);
    await (await checkout.openSandboxBank()).getByRole("button", { name: "Expire the link now" }).click();
    await checkout.open(failed);
    await p.getByRole("link", { name: /Card or e-wallet/ }).click();
    await p.getByRole("link", { name: "Pay with Sandbox" }).click();
    await p.getByRole("button", { name: "Decline" }).click();
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
    await ctx.close();
    expect(problems).toEqual([]);
  });
});
