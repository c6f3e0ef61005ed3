import type { Page } from "@playwright/test";
import { readQrPng } from "../test/read-qr";
import { seriousViolations } from "./axe";
import { expect, newAccount, test } from "./fixtures";

/** Where a text's currency sign is drawn against its digits: how a reader sees the amount, whatever its characters. */
function signSide(page: Page, testId: string, sign: string) {
  return page.getByTestId(testId).evaluate((el, mark) => {
    const node = [...el.childNodes].find((n) => n.nodeType === Node.TEXT_NODE) as Text;
    const text = node.data;
    const x = (i: number) => {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      return range.getBoundingClientRect().x;
    };
    return x(text.indexOf(mark)) > x(text.search(/\d/)) ? "after the digits" : "before the digits";
  }, sign);
}

/** The relative luminance of an element's computed background (0 black … 1 white). */
function backgroundLuminance(page: Page, selector: string) {
  return page.locator(selector).first().evaluate((el) => {
    const [r, g, b] = (getComputedStyle(el).backgroundColor.match(/[\d.]+/g) ?? []).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  });
}

test.describe("the checkout on the customer's phone", () => {
  test("Save QR image downloads the QR the page shows; Share appears only where the phone can share; the copy says how", async ({ auth, paymentLinks, customers }) => {
    await auth.signUp(newAccount());
    const code = await paymentLinks.create();

    // A browser without the Web Share API (most desktops): no Share button, the download still works.
    const plain = await customers.checkout();
    await plain.page.addInitScript(() => delete (Navigator.prototype as { share?: unknown }).share);
    await plain.open(code);
    await expect(plain.page.getByText("Paying on this phone? Save the QR image, open your banking app, choose to scan a QR from an image")).toBeVisible();
    await expect(plain.saveQrLink()).toHaveText("Save QR image");
    await expect(plain.saveQrLink()).toHaveAttribute("download", `pay-${code}.png`);
    const saved = await plain.saveQrImage();
    expect(saved.name).toBe(`pay-${code}.png`);
    // What a banking app reads from the saved image is what the QR on the page opens.
    expect(readQrPng(saved.png)).toBe(await plain.bankAppLink().getAttribute("href"));
    await expect(plain.shareQrButton()).toHaveCount(0);
    await plain.close();

    // A phone with a share sheet: Share hands it the same image as a file.
    const sharing = await customers.checkout();
    await sharing.page.addInitScript(() => {
      const shared: unknown[] = [];
      Object.assign(window, { shared });
      Object.defineProperty(Navigator.prototype, "canShare", { configurable: true, value: () => true });
      Object.defineProperty(Navigator.prototype, "share", {
        configurable: true,
        value: async (data: ShareData) => {
          shared.push({ title: data.title, text: data.text, files: (data.files ?? []).map((f) => ({ name: f.name, type: f.type, size: f.size })) });
        },
      });
    });
    const imageLoaded = sharing.page.waitForResponse((res) => res.url().includes(`/api/pay/${code}/qr.png`) && res.ok());
    await sharing.open(code);
    await imageLoaded;
    await sharing.shareQrButton().click();
    const shared = await sharing.page.waitForFunction(() => (window as unknown as { shared: unknown[] }).shared[0]);
    const data = (await shared.jsonValue()) as { text: string; files: { name: string; type: string; size: number }[] };
    expect(data.text).toContain("₫100,000");
    expect(data.files).toHaveLength(1);
    expect(data.files[0]).toMatchObject({ name: `pay-${code}.png`, type: "image/png" });
    expect(data.files[0]!.size).toBeGreaterThan(1000);
    await sharing.close();
  });

  test("Arabic stays Arabic through the sandbox card page and back; the paid headline says Paid in each language", async ({ auth, paymentLinks, customers }) => {
    await auth.signUp(newAccount());
    const code = await paymentLinks.create();
    const checkout = await customers.checkout();
    const { page } = checkout;
    await checkout.open(code);
    await page.getByRole("link", { name: "العربية" }).click();
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await page.getByRole("link", { name: /بطاقة أو محفظة إلكترونية/ }).click();
    await page.getByTestId("pay-redirect").click();
    await expect(page.getByRole("heading", { name: "Sandbox card page" })).toBeVisible();
    await checkout.approveCard();

    await expect(page).toHaveURL(new RegExp(`/pay/${code}\\?return=1&.*lang=ar`));
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.locator("html")).toHaveAttribute("lang", "ar");
    await expect(checkout.status()).toContainText("تم استلام الدفع. شكرًا لك!");

    // Paid in full: the headline says so, with what was paid; nowhere "left to pay 0".
    const headline = page.locator("#amount-heading");
    const expected = { en: ["Paid", "Left to pay", /^₫100,000$/], ar: ["تم الدفع", "المتبقي للدفع", /100,000.₫/], vi: ["Đã thanh toán đủ", "Còn phải trả", /^100\.000.₫$/] } as const;
    for (const [lang, [paid, left, amount]] of Object.entries(expected)) {
      await checkout.open(code, `?lang=${lang}`);
      await expect(headline).toHaveText(paid);
      await expect(page.getByTestId("amount-due")).toHaveText(amount);
      await expect(page.getByText(left)).toHaveCount(0);
    }
    await checkout.close();
  });

  test("an overpaid link reads Paid, with what was paid over", async ({ auth, paymentLinks, customers }) => {
    await auth.signUp(newAccount());
    const code = await paymentLinks.create();
    const checkout = await customers.checkout();
    await checkout.open(code);
    await (await checkout.openSandboxBank()).pay("120000");
    await checkout.open(code);
    await expect(checkout.page.locator("#amount-heading")).toHaveText("Paid");
    await expect(checkout.page.getByTestId("amount-due")).toHaveText("₫120,000");
    await expect(checkout.page.getByTestId("amount-extra")).toHaveText("₫20,000");
    await expect(checkout.page.getByText("Left to pay")).toHaveCount(0);
    await checkout.close();
  });

  test("without JavaScript the bank details are selectable text, no Copy button pretends, and Save QR image still downloads", async ({ auth, paymentLinks, customers }) => {
    await auth.signUp(newAccount());
    const code = await paymentLinks.create();

    const noJs = await customers.checkout({ javaScriptEnabled: false });
    await noJs.open(code);
    const remark = noJs.page.getByTestId("bank-remark");
    await expect(remark).toHaveText(`SETTLE ${code}`);
    // One tap selects the whole value, ready for the phone's own Copy.
    expect(await remark.evaluate((el) => getComputedStyle(el).userSelect)).toBe("all");
    await expect(noJs.page.getByRole("button", { name: /^Copy/ })).toHaveCount(0);
    await expect(noJs.shareQrButton()).toHaveCount(0);
    const saved = await noJs.saveQrImage();
    expect(readQrPng(saved.png)).toBe(await noJs.bankAppLink().getAttribute("href"));
    await noJs.close();

    const withJs = await customers.checkout();
    await withJs.open(code);
    await expect(withJs.page.getByRole("button", { name: "Copy Transfer note" })).toBeVisible();
    await withJs.close();
  });

  test("an unknown code answers 404, in the customer's language", async ({ page, customers }) => {
    for (const path of ["/pay/ZZZZZZZZ", "/pay/not-a-code", "/api/pay/ZZZZZZZZ/qr.png"]) {
      expect((await page.request.get(path)).status(), path).toBe(404);
    }
    const checkout = await customers.checkout();
    const response = await checkout.page.goto("/pay/ZZZZZZZZ?lang=ar");
    expect(response?.status()).toBe(404);
    await expect(checkout.page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(checkout.page.getByRole("heading", { name: "رابط الدفع غير موجود" })).toBeVisible();
    await checkout.page.getByRole("link", { name: "Tiếng Việt" }).click();
    await expect(checkout.page.getByRole("heading", { name: "Không tìm thấy liên kết thanh toán" })).toBeVisible();
    await checkout.close();
  });

  test("Arabic draws every amount one way: the headline as the bank details", async ({ auth, paymentLinks, customers }) => {
    await auth.signUp(newAccount());
    const code = await paymentLinks.create();
    const checkout = await customers.checkout();
    await checkout.open(code, "?lang=ar");
    const headline = await checkout.page.getByTestId("amount-due").textContent();
    await expect(checkout.page.getByTestId("bank-amount")).toHaveText(headline!);
    expect(await signSide(checkout.page, "amount-due", "₫")).toBe("after the digits");
    expect(await signSide(checkout.page, "bank-amount", "₫")).toBe("after the digits");
    await checkout.close();
  });

  test("the sandbox bank app and card page follow dark mode, and pass axe in both", async ({ auth, paymentLinks, customers }) => {
    // Four axe scans: room for a busy machine.
    test.setTimeout(180_000);
    await auth.signUp(newAccount());
    const code = await paymentLinks.create();
    const problems: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      const checkout = await customers.checkout({ colorScheme });
      await checkout.open(code);
      const bankApp = (await checkout.bankAppLink().getAttribute("href"))!;
      await checkout.page.getByRole("link", { name: /Card or e-wallet/ }).click();
      const cardPage = (await checkout.page.getByTestId("pay-redirect").getAttribute("href"))!;
      for (const [name, url, heading] of [
        ["bank app", bankApp, "Sandbox bank app"],
        ["card page", cardPage, "Sandbox card page"],
      ] as const) {
        await checkout.page.goto(url);
        await expect(checkout.page.getByRole("heading", { name: heading })).toBeVisible();
        const page = await backgroundLuminance(checkout.page, "main >> xpath=..");
        const card = await backgroundLuminance(checkout.page, "main section");
        if (colorScheme === "dark") {
          expect(page, `${name}: page background`).toBeLessThan(0.05);
          expect(card, `${name}: card background`).toBeLessThan(0.05);
        } else {
          expect(card, `${name}: card background`).toBeGreaterThan(0.9);
        }
        for (const v of await seriousViolations(checkout.page)) problems.push(`${colorScheme}/${name}: ${v}`);
      }
      await checkout.close();
    }
    expect(problems).toEqual([]);
  });
});
