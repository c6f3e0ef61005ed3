import { startReceiver } from "../test/webhook-receiver";
import { expect, newAccount, test } from "./fixtures";
import { WebhookPages } from "./pages/webhook-pages";

test("an endpoint gets signed test events; a failure shows its response; Retry and bulk retry deliver", async ({ page, auth, webhooks, context }) => {
  test.setTimeout(120_000);
  let receiver = await startReceiver();
  const owner = newAccount("owner");
  await auth.signUp(owner);

  // Add an endpoint pointing at the receiver this spec runs on 127.0.0.1.
  await page.getByRole("link", { name: "Webhooks" }).first().click();
  await expect(page).toHaveURL(/\/webhooks$/);
  const endpointPage = await webhooks.addEndpoint(receiver.url, { description: "Order system" });
  await expect(page).toHaveURL(/\/webhooks\/we_\w+$/);
  const secret = await webhooks.revealSecret();
  expect(secret).toMatch(/^whsec_/);
  receiver.setSecrets([secret]);

  // The log in a second tab refreshes by itself.
  const log = new WebhookPages(await context.newPage());
  await log.openDeliveries();
  await expect(log.page.getByText("No deliveries yet.")).toBeVisible();

  await webhooks.sendTestEvent();
  await expect(webhooks.attemptResult()).toContainText("Delivered · HTTP 200");
  expect(receiver.received).toHaveLength(1);
  expect(receiver.received[0]!.verifiedWith).toEqual([0]);
  expect(JSON.parse(receiver.received[0]!.body).type).toBe("webhook.test");
  await expect(log.deliveryRow(/webhook\.test/)).toContainText("Succeeded");

  // Receiver down: the attempt fails and says why.
  const port = receiver.port;
  await receiver.close();
  await webhooks.sendTestEvent();
  await expect(webhooks.attemptResult()).toContainText("Failed");
  await expect(webhooks.attemptResult()).toContainText("ECONNREFUSED");
  await expect(log.deliveryRow(/Failed/)).toHaveCount(1);

  await log.openDelivery(/Failed/);
  await expect(log.page.getByTestId("attempt-error")).toContainText("ECONNREFUSED");

  // Receiver back on the same port: Retry sends it again, signed, same webhook-id.
  receiver = await startReceiver({ port, secrets: [secret] });
  await log.retryNowButton().click();
  await expect(log.attemptResult()).toContainText("Delivered · HTTP 200");
  await expect(log.attempts()).toHaveCount(2);
  await expect(log.attempts().first()).toContainText(`manual by ${owner.email}`);
  expect(receiver.received[0]!.verifiedWith).toEqual([0]);

  // A receiver that answers 503: the response is kept and shown.
  receiver.behave((_r, res) => void res.writeHead(503, { "content-type": "text/plain" }).end("down for maintenance"));
  await page.goto(endpointPage);
  for (let i = 0; i < 3; i++) {
    await webhooks.sendTestEvent();
    await expect(webhooks.attemptResult()).toContainText("HTTP 503");
    await expect(webhooks.sendTestEventButton()).toBeEnabled();
  }
  await expect(webhooks.attemptResult()).toContainText("down for maintenance");

  // Bulk: retry every failed delivery in the background, with progress.
  receiver.behave((_r, res) => void res.writeHead(200).end("ok"));
  await log.openDeliveries();
  await log.filterFailed();
  await expect(log.page).toHaveURL(/status=failed/);
  await expect(log.deliveryRow(/Failed/)).toHaveCount(3);
  await log.retryAllMatching();
  const progress = log.page.getByTestId("bulk-retry-progress");
  await expect(progress).toContainText("Retried 3 of 3", { timeout: 15_000 });
  await expect(log.page.getByRole("progressbar", { name: "Bulk retry progress" })).toHaveAttribute("aria-valuenow", "3");
  // The filtered log empties itself as the retries succeed.
  await expect(log.page.getByText("No delivery matches these filters.")).toBeVisible();
  await log.openDeliveries();
  await expect(log.deliveryRow(/Succeeded/)).toHaveCount(5);
  await receiver.close();
});

test("support can retry but not edit; a viewer only reads", async ({ page, auth, webhooks, team }) => {
  const receiver = await startReceiver();
  const owner = newAccount("owner");
  await auth.signUp(owner);
  await webhooks.open();
  await webhooks.addEndpoint(receiver.url);
  await expect(page).toHaveURL(/\/webhooks\/we_\w+$/);
  await webhooks.sendTestEvent();
  await expect(webhooks.attemptResult()).toContainText("Delivered");

  for (const role of ["support", "viewer"] as const) {
    const member = await team.joinAs(role);
    const other = new WebhookPages(member.page);

    await other.open();
    await expect(other.endpoints()).toContainText(receiver.url);
    await expect(other.addEndpointButton()).toHaveCount(0);
    await other.openDeliveries();
    await other.openDelivery(/webhook\.test/);
    // The viewer comes after support's retry.
    await expect(other.attempts()).toHaveCount(role === "support" ? 1 : 2);
    await expect(other.retryNowButton()).toHaveCount(role === "support" ? 1 : 0);
    if (role === "support") {
      await other.retryNowButton().click();
      await expect(other.attemptResult()).toContainText("Delivered");
      await expect(other.attempts().first()).toContainText(`manual by ${member.account.email}`);
    }
    await other.openSettings();
    await expect(other.page.getByText("Only owners and admins can change webhook settings.")).toBeVisible();
    await member.close();
  }
  await receiver.close();
});

test("a deleted endpoint's deliveries stay in the log under its name, and its filter still finds them", async ({ page, auth, webhooks }) => {
  const receiver = await startReceiver();
  await auth.signUp(newAccount());
  const endpointPage = await webhooks.addEndpoint(receiver.url, { description: "Old order system" });
  const endpointId = endpointPage.split("/").pop()!;
  receiver.setSecrets([await webhooks.revealSecret()]);
  await webhooks.sendTestEvent();
  await expect(webhooks.attemptResult()).toContainText("Delivered");

  await webhooks.deleteEndpoint();
  await expect(page.getByText("No endpoint yet")).toBeVisible();

  await webhooks.openDeliveries();
  await webhooks.filterByEndpoint(`Old order system · ${receiver.url} (deleted)`);
  await expect(page).toHaveURL(new RegExp(`endpoint=${endpointId}`));
  const row = webhooks.deliveryRow(/webhook\.test/);
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("delivery-endpoint")).toContainText("Old order system");
  await expect(row.getByTestId("delivery-endpoint")).toContainText("Deleted");
  await expect(row).toContainText("Succeeded");

  await webhooks.openDelivery(/webhook\.test/);
  await expect(page.getByText(`Old order system · ${receiver.url} (deleted`)).toBeVisible();
  await expect(webhooks.retryNowButton()).toHaveCount(0);
  await receiver.close();
});

test("a refused endpoint URL keeps the description and chosen events, and focus goes to the URL", async ({ page, auth, webhooks }) => {
  await auth.signUp(newAccount());
  await webhooks.open();
  await page.getByLabel("Endpoint URL").fill("ftp://orders.example.com/hook");
  await page.getByLabel("Description").fill("Order system (production)");
  await page.getByLabel("Send every event type").uncheck();
  await page.getByLabel("invoice.paid", { exact: true }).check();
  await webhooks.addEndpointButton().click();

  await expect(page.locator("#endpoint-url-error")).toBeVisible();
  await expect(page.getByLabel("Endpoint URL")).toBeFocused();
  await expect(page.getByLabel("Endpoint URL")).toHaveValue("ftp://orders.example.com/hook");
  await expect(page.getByLabel("Description")).toHaveValue("Order system (production)");
  await expect(page.getByLabel("invoice.paid", { exact: true })).toBeChecked();
  await expect(page).toHaveURL(/\/webhooks$/);
});

test("picking a gateway's format offers its retry schedule and names the events it never sends", async ({ page, auth, webhooks }) => {
  await auth.signUp(newAccount());
  await webhooks.open();
  await page.getByLabel("Endpoint URL").fill("https://orders.example.com/myfatoorah");
  const format = page.getByLabel("Format", { exact: true });
  const schedule = page.getByLabel("Retry schedule");
  await expect(schedule).toHaveValue("");

  await format.selectOption({ label: "MyFatoorah (Webhook V1)" });
  await expect(schedule).toHaveValue("10s, 10s, 10s");
  await expect(page.getByText("MyFatoorah tries 4 times, 10 seconds apart.")).toBeVisible();
  await expect(page.getByTestId("not-sent")).toContainText("invoice.created");
  await expect(page.getByTestId("not-sent")).not.toContainText("payment.succeeded");

  await format.selectOption({ label: "Finan" });
  await expect(schedule).toHaveValue("5m, 10m, 15m");
  await expect(page.getByTestId("not-sent")).toContainText("payment.failed");
  await webhooks.addEndpointButton().click();
  await page.waitForURL(/\/webhooks\/we_\w+$/);
  await expect(page.getByTestId("endpoint-format")).toHaveText("Finan");
  await expect(schedule).toHaveValue("5m, 10m, 15m");
});
