import type { Page } from "@playwright/test";
import { startReceiver } from "../test/webhook-receiver";
import { seriousViolations } from "./axe";
import { expect, newAccount, test } from "./fixtures";

test.use({ viewport: { width: 390, height: 844 } });

/**
 * Every control a finger can reach in the page's content that is smaller than
 * 24 × 24 CSS px (WCAG 2.2 target size), as "what: width×height".
 */
function smallTargets(page: Page) {
  return page.locator("main").evaluate((main) =>
    [...main.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
      .filter((el) => el.checkVisibility())
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 24 || box.height < 24)
      .map(({ el, box }) => `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute("aria-label") || el.getAttribute("name") || "").trim().slice(0, 40)}": ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
}

/** axe's serious and critical findings in light and in dark, each line prefixed with where and which scheme. */
async function axeBothSchemes(page: Page, what: string) {
  const problems: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const v of await seriousViolations(page)) problems.push(`${colorScheme} ${what}: ${v}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  return problems;
}

/** Whether the page scrolls sideways: something wider than the phone. */
const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

test("the delivery log on a phone: deliveries first, filters folded and labelled, endpoints by name, big enough targets; the detail reads JSON", async ({ page, auth, webhooks }) => {
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  await auth.signUp(newAccount());
  await webhooks.addEndpoint(receiver.url, { description: "Order system" });
  receiver.setSecrets([await webhooks.revealSecret()]);

  // One delivered, one the receiver turns down with a JSON error.
  receiver.behave((_r, res) => void res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}'));
  await webhooks.sendTestEvent();
  await expect(webhooks.attemptResult()).toContainText("Delivered · HTTP 200");
  const refusal = '{"error":{"code":"maintenance","retry_after":60}}';
  receiver.behave((_r, res) => void res.writeHead(503, { "content-type": "application/json" }).end(refusal));
  await webhooks.sendTestEvent();
  await expect(webhooks.attemptResult()).toContainText("HTTP 503");

  // The first screen shows deliveries: the filters are folded behind their summary.
  await webhooks.openDeliveries();
  await expect(webhooks.filtersSummary()).toBeVisible();
  await expect(webhooks.page.getByRole("button", { name: "Apply filters" })).toBeHidden();
  const failed = webhooks.deliveryRow(/Failed/);
  await expect(failed).toBeInViewport({ ratio: 1 });
  await expect(webhooks.deliveryRow(/Succeeded/)).toBeInViewport({ ratio: 1 });

  // Each row names its endpoint, not a URL cut to fit.
  const endpoint = failed.getByTestId("delivery-endpoint-phone");
  await expect(endpoint).toBeVisible();
  await expect(endpoint).toContainText("Order system");
  await expect(failed.getByText(receiver.url)).toBeHidden();

  expect(await smallTargets(page)).toEqual([]);
  expect(await overflowsSideways(page)).toBe(false);
  expect(await axeBothSchemes(page, "log, filters folded")).toEqual([]);

  // Unfolded: every filter has a visible label of its own, the dates too.
  await webhooks.openFilters();
  for (const label of ["Endpoint", "Event type", "Created from", "Created to", "Search"]) {
    await expect(page.locator("label", { hasText: new RegExp(`^${label}$`) })).toBeVisible();
    await expect(page.getByLabel(label, { exact: true })).toBeVisible();
  }
  await expect(page.getByLabel("Created from", { exact: true })).toHaveAttribute("type", "date");
  expect(await smallTargets(page)).toEqual([]);
  expect(await overflowsSideways(page)).toBe(false);
  expect(await axeBothSchemes(page, "log, filters open")).toEqual([]);

  // A filter set says so on the folded summary.
  await webhooks.filterFailed();
  await expect(page).toHaveURL(/status=failed/);
  await expect(webhooks.filtersSummary()).toContainText("1 active");
  await expect(webhooks.deliveryRow(/Succeeded/)).toHaveCount(0);

  // The failed delivery's page: bodies indented, each scrolling box reachable by keyboard and named.
  await webhooks.openDelivery(/Failed/);
  await expect(webhooks.attempts()).toHaveCount(1);
  const response = page.getByRole("region", { name: "Attempt 1 response body" });
  await expect(response).toBeVisible();
  await expect(response).toHaveAttribute("tabindex", "0");
  expect(await response.textContent()).toBe(JSON.stringify(JSON.parse(refusal), null, 2));
  const request = (await page.getByRole("region", { name: "Attempt 1 request body" }).textContent()) ?? "";
  expect(request).toMatch(/^\{\n {2}"type": "webhook\.test",\n/);
  expect(request).toBe(JSON.stringify(JSON.parse(request), null, 2));

  expect(await smallTargets(page)).toEqual([]);
  expect(await overflowsSideways(page)).toBe(false);
  expect(await axeBothSchemes(page, "delivery")).toEqual([]);
  await receiver.close();
});
