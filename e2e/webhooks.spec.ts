import { startReceiver } from "../test/webhook-receiver";
import { confirmDialog, expect, newAccount, test } from "./fixtures";

test("an endpoint gets signed test events; a failure shows its response; Retry and bulk retry deliver", async ({ page, auth, context }) => {
  test.setTimeout(120_000);
  let receiver = await startReceiver();
  const owner = newAccount("owner");
  await auth.signUp(owner);

  // Add an endpoint pointing at the receiver this spec runs on 127.0.0.1.
  await page.getByRole("link", { name: "Webhooks" }).first().click();
  await expect(page).toHaveURL(/\/webhooks$/);
  await page.getByLabel("Endpoint URL").fill(receiver.url);
  await page.getByLabel("Description").fill("Order system");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page).toHaveURL(/\/webhooks\/we_\w+$/);
  const endpointPage = page.url();
  await page.getByRole("button", { name: "Reveal secret" }).click();
  const secret = await page.getByTestId("signing-secret").inputValue();
  expect(secret).toMatch(/^whsec_/);
  receiver.setSecrets([secret]);

  // The log in a second tab refreshes by itself.
  const log = await context.newPage();
  await log.goto("/webhooks/deliveries");
  await expect(log.getByText("No deliveries yet.")).toBeVisible();

  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("attempt-result")).toContainText("Delivered · HTTP 200");
  expect(receiver.received).toHaveLength(1);
  expect(receiver.received[0]!.verifiedWith).toEqual([0]);
  expect(JSON.parse(receiver.received[0]!.body).type).toBe("webhook.test");
  await expect(log.getByRole("row", { name: /webhook\.test/ })).toContainText("Succeeded");

  // Receiver down: the attempt fails and says why.
  const port = receiver.port;
  await receiver.close();
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("attempt-result")).toContainText("Failed");
  await expect(page.getByTestId("attempt-result")).toContainText("ECONNREFUSED");
  await expect(log.getByRole("row", { name: /Failed/ })).toHaveCount(1);

  await log.getByRole("row", { name: /Failed/ }).getByRole("link").click();
  await expect(log.getByTestId("attempt-error")).toContainText("ECONNREFUSED");

  // Receiver back on the same port: Retry sends it again, signed, same webhook-id.
  receiver = await startReceiver({ port, secrets: [secret] });
  await log.getByRole("button", { name: "Retry now" }).click();
  await expect(log.getByTestId("attempt-result")).toContainText("Delivered · HTTP 200");
  await expect(log.getByTestId("attempt")).toHaveCount(2);
  await expect(log.getByTestId("attempt").first()).toContainText(`manual by ${owner.email}`);
  expect(receiver.received[0]!.verifiedWith).toEqual([0]);

  // A receiver that answers 503: the response is kept and shown.
  receiver.behave((_r, res) => void res.writeHead(503, { "content-type": "text/plain" }).end("down for maintenance"));
  await page.goto(endpointPage);
  for (let i = 0; i < 3; i++) {
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByTestId("attempt-result")).toContainText("HTTP 503");
    await expect(page.getByRole("button", { name: "Send test event" })).toBeEnabled();
  }
  await expect(page.getByTestId("attempt-result")).toContainText("down for maintenance");

  // Bulk: retry every failed delivery in the background, with progress.
  receiver.behave((_r, res) => void res.writeHead(200).end("ok"));
  await log.goto("/webhooks/deliveries");
  await log.getByRole("checkbox", { name: "Failed" }).check();
  await log.getByRole("button", { name: "Apply filters" }).click();
  await expect(log).toHaveURL(/status=failed/);
  await expect(log.getByRole("row", { name: /Failed/ })).toHaveCount(3);
  await log.getByRole("button", { name: "Retry all matching" }).click();
  await confirmDialog(log, "Retry all");
  const progress = log.getByTestId("bulk-retry-progress");
  await expect(progress).toContainText("Retried 3 of 3", { timeout: 15_000 });
  await expect(log.getByRole("progressbar", { name: "Bulk retry progress" })).toHaveAttribute("aria-valuenow", "3");
  // The filtered log empties itself as the retries succeed.
  await expect(log.getByText("No delivery matches these filters.")).toBeVisible();
  await log.goto("/webhooks/deliveries");
  await expect(log.getByRole("row", { name: /Succeeded/ })).toHaveCount(5);
  await receiver.close();
});

test("support can retry but not edit; a viewer only reads", async ({ page, auth, browser }) => {
  const receiver = await startReceiver();
  const owner = newAccount("owner");
  await auth.signUp(owner);
  await page.goto("/webhooks");
  await page.getByLabel("Endpoint URL").fill(receiver.url);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page).toHaveURL(/\/webhooks\/we_\w+$/);
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("attempt-result")).toContainText("Delivered");

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

    await other.goto("/webhooks");
    await expect(other.getByRole("list", { name: "Endpoints" })).toContainText(receiver.url);
    await expect(other.getByRole("button", { name: "Add endpoint" })).toHaveCount(0);
    await other.goto("/webhooks/deliveries");
    await other.getByRole("row", { name: /webhook\.test/ }).getByRole("link").click();
    // The viewer comes after support's retry.
    await expect(other.getByTestId("attempt")).toHaveCount(role === "support" ? 1 : 2);
    await expect(other.getByRole("button", { name: "Retry now" })).toHaveCount(role === "support" ? 1 : 0);
    if (role === "support") {
      await other.getByRole("button", { name: "Retry now" }).click();
      await expect(other.getByTestId("attempt-result")).toContainText("Delivered");
      await expect(other.getByTestId("attempt").first()).toContainText(`manual by ${member.email}`);
    }
    await other.goto("/webhooks/settings");
    await expect(other.getByText("Only owners and admins can change webhook settings.")).toBeVisible();
    await ctx.close();
  }
  await receiver.close();
});
