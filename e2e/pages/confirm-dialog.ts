import { expect, type Page } from "@playwright/test";

/**
 * Answers the app's confirm dialog (components/ui/confirm-dialog) with its
 * confirm button. It checks the dialog opens and closes: without that, a
 * click that never opened it would pass silently.
 */
export async function confirmDialog(page: Page, button: string) {
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: button }).click();
  await expect(dialog).toBeHidden();
}
