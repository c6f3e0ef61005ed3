import { confirmDialog, expect, newAccount, test } from "./fixtures";

test("the owner deletes all test data with progress; the live invoice stays", async ({ page, auth, invoices, settings }) => {
  // Sign-up, three invoices, four mode switches and the deletion: longer than one page's work.
  test.setTimeout(120_000);
  await auth.signUp(newAccount());
  const banner = page.getByTestId("test-mode-banner");
  const modeSwitch = page.getByRole("switch", { name: "Test mode" });
  // A new account opens in test mode.
  await expect(banner).toContainText("Test mode — you are looking at test data");
  await invoices.create({ customer: "Tess Trial", lines: [{ name: "Trial run", price: "10.00", qty: "1" }] });
  await invoices.create({ customer: "Toby Trial", lines: [{ name: "Second trial", price: "20.00", qty: "2" }] });

  // Live mode: no sandbox there, a plain invoice only.
  await modeSwitch.click();
  await expect(banner).toBeHidden();
  await expect(modeSwitch).toHaveAttribute("aria-checked", "false");
  const liveId = await invoices.create({ customer: "Lena Live", lines: [{ name: "Real work", price: "99.00", qty: "1" }] });

  await page.getByRole("switch", { name: "Test mode" }).click();
  await expect(banner).toBeVisible();
  await settings.open();
  await page.getByRole("button", { name: "Delete all test data" }).click();
  await expect(page.getByRole("dialog")).toContainText("Live data is not touched.");
  await confirmDialog(page, "Delete test data");

  const progress = page.getByTestId("test-data-progress");
  await expect(progress).toContainText(/Deleted \d+ rows of test data on/);
  const bar = progress.getByRole("progressbar", { name: "Test data deletion progress" });
  const total = await bar.getAttribute("aria-valuemax");
  expect(Number(total)).toBeGreaterThanOrEqual(2);
  await expect(bar).toHaveAttribute("aria-valuenow", total!);
  // The run is over: the button is back for another go.
  await expect(page.getByRole("button", { name: "Delete all test data" })).toBeEnabled();

  // A reload shows the same outcome, from the server.
  await page.reload();
  await expect(page.getByTestId("test-data-progress")).toContainText(/Deleted \d+ rows of test data on/);

  await invoices.openList();
  await expect(banner).toBeVisible();
  await expect(page.getByText("No invoices here")).toBeVisible();
  await expect(invoices.tab("All 0")).toBeVisible();
  // The audit log says who did it, in test mode here and in live mode below.
  await page.goto("/settings/audit");
  await expect(page.getByRole("region", { name: "Audit log table" })).toContainText("test_data.deletion_started");

  await page.getByRole("switch", { name: "Test mode" }).click();
  await expect(banner).toBeHidden();
  await invoices.openList();
  await expect(invoices.listed("INV-000001")).toBeVisible();
  await expect(page.getByRole("table", { name: "Invoices" })).toContainText("Lena Live");
  await page.goto("/settings/audit");
  await expect(page.getByRole("region", { name: "Audit log table" })).toContainText("test_data.deletion_started");
  await invoices.open(liveId);
  await expect(invoices.heading("INV-000001")).toBeVisible();
});

test("only the owner may delete test data: an admin sees why the button is off", async ({ auth, team }) => {
  await auth.signUp(newAccount());
  const admin = await team.joinAs("admin");
  await admin.page.goto("/settings");
  await expect(admin.page.getByRole("button", { name: "Delete all test data" })).toBeDisabled();
  await expect(admin.page.getByText("Only the owner can delete test data.")).toBeVisible();
});
