import { expect, newAccount, test } from "./fixtures";

test("sign up lands on the dashboard; sign out and sign in again", async ({ page, auth, dashboard }) => {
  const account = newAccount();
  await auth.signUp(account);
  await expect(dashboard.merchantName()).toHaveText(account.merchant);
  await expect(dashboard.mainNav().getByRole("link", { name: "Settings" })).toBeVisible();

  await auth.signOut();
  await auth.signIn(account.email, account.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: /Welcome, Ada/ })).toBeVisible();
});

test("a wrong password shows one clear message and no hint which part was wrong", async ({ page, auth }) => {
  const account = newAccount();
  await auth.signUp(account);
  await auth.signOut();
  await auth.signIn(account.email, "not-the-password");
  await expect(auth.formError()).toHaveText("Email or password is incorrect.");
  await expect(page).toHaveURL(/\/login/);
  await auth.signIn("nobody-here@example.test", "whatever-password");
  await expect(auth.formError()).toHaveText("Email or password is incorrect.");
});

test("five failures lock the email for 15 minutes", async ({ page, auth }) => {
  const account = newAccount();
  await auth.signUp(account);
  await auth.signOut();
  for (let i = 0; i < 5; i++) {
    await auth.signIn(account.email, `wrong-${i}`);
    await expect(auth.formError()).toHaveText("Email or password is incorrect.");
  }
  await auth.signIn(account.email, account.password);
  await expect(auth.formError()).toHaveText(/Too many failed sign-in attempts/);
  await expect(page).toHaveURL(/\/login/);
});

test("a dashboard URL while signed out goes to the login page and back after signing in", async ({ page, auth }) => {
  const account = newAccount();
  await auth.signUp(account);
  await auth.signOut();
  await page.goto("/settings/team");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings%2Fteam/);
  // The form the redirect opened, not a fresh /login: that would drop the callbackUrl.
  await auth.submitSignIn(account.email, account.password);
  await expect(page).toHaveURL(/\/settings\/team$/);
});

test("sign-up shows every field error at once and creates nothing", async ({ page, auth }) => {
  await auth.submitSignUp({ email: "not-an-email", password: "short" });
  await expect(page.getByText("Enter your name.")).toBeVisible();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(page).toHaveURL(/\/signup$/);
});
