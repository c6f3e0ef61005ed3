import { randomBytes } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import { rememberSecret } from "./run-files";

export interface Account {
  name: string;
  email: string;
  password: string;
  merchant: string;
}

export function newAccount(label = "owner"): Account {
  const id = randomBytes(4).toString("hex");
  rememberSecret(`password of ${label}-${id}`, `pw-${id}-long`);
  return { name: `Ada ${label}`, email: `${label}-${id}@example.test`, password: `pw-${id}-long`, merchant: `Shop ${id}` };
}

export class AuthPages {
  constructor(private readonly page: Page) {}

  async signUp(account: Account, opts: { invite?: string } = {}) {
    await this.page.goto(opts.invite ? `/signup?invite=${opts.invite}` : "/signup");
    await this.page.getByLabel("Your name").fill(account.name);
    if (!opts.invite) {
      await this.page.getByLabel("Work email").fill(account.email);
      await this.page.getByLabel("Business name").fill(account.merchant);
    }
    await this.page.getByLabel("Password").fill(account.password);
    await this.page.getByRole("button", { name: opts.invite ? /^Join / : "Create account" }).click();
    await expect(this.page).toHaveURL(/\/dashboard$/);
  }

  async signIn(email: string, password: string) {
    await this.page.goto("/login");
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  async signOut() {
    await this.page.getByLabel("User menu").click();
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/login/);
  }
}

/** Answers the app's confirm dialog (components/ui/confirm-dialog) with its confirm button. */
export async function confirmDialog(page: Page, button: string) {
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: button }).click();
  await expect(dialog).toBeHidden();
}

export const test = base.extend<{ auth: AuthPages }>({
  auth: async ({ page }, use) => use(new AuthPages(page)),
});

export { expect };
