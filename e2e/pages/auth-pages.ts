import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { rememberSecret } from "../run-files";

export interface Account {
  name: string;
  email: string;
  password: string;
  merchant: string;
}

/** A fresh person and business per call, so tests never share a merchant; the password goes to the teardown's leak check. */
export function newAccount(label = "owner"): Account {
  const id = randomBytes(4).toString("hex");
  rememberSecret(`password of ${label}-${id}`, `pw-${id}-long`);
  return { name: `Ada ${label}`, email: `${label}-${id}@example.test`, password: `pw-${id}-long`, merchant: `Shop ${id}` };
}

/** /signup, /login and the user menu's sign out. */
export class AuthPages {
  constructor(private readonly page: Page) {}

  /** Opens the sign-up form (an invited one when given the invite token) and signs up; waits for the dashboard. */
  async signUp(account: Account, opts: { invite?: string } = {}) {
    await this.page.goto(opts.invite ? `/signup?invite=${opts.invite}` : "/signup");
    await this.completeSignUp(account, { invited: !!opts.invite });
  }

  /**
   * Fills the sign-up form already on screen and waits for the dashboard.
   * An invited form asks only for a name and a password: the email and the
   * business come from the invite.
   */
  async completeSignUp(account: Account, { invited = false } = {}) {
    await this.page.getByLabel("Your name").fill(account.name);
    if (!invited) {
      await this.page.getByLabel("Work email").fill(account.email);
      await this.page.getByLabel("Business name").fill(account.merchant);
    }
    await this.page.getByLabel("Password").fill(account.password);
    await this.page.getByRole("button", { name: invited ? /^Join / : "Create account" }).click();
    await expect(this.page).toHaveURL(/\/dashboard$/);
  }

  /** Submits the sign-up form with only the fields given, e.g. to see its errors; waits for nothing. */
  async submitSignUp(fields: { email?: string; password?: string }) {
    await this.page.goto("/signup");
    if (fields.email !== undefined) await this.page.getByLabel("Work email").fill(fields.email);
    if (fields.password !== undefined) await this.page.getByLabel("Password").fill(fields.password);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }

  /** Opens /login and submits it; where that lands is the caller's to check. */
  async signIn(email: string, password: string) {
    await this.page.goto("/login");
    await this.submitSignIn(email, password);
  }

  /** Submits the login form already on screen, e.g. one a signed-out redirect opened with its callbackUrl. */
  async submitSignIn(email: string, password: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  formError() {
    return this.page.getByTestId("form-error");
  }

  async signOut() {
    await this.page.getByLabel("User menu").click();
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/login/);
  }
}
