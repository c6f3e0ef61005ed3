import { AuthPages, expect, newAccount, test } from "./fixtures";
import { DashboardPages } from "./pages/dashboard-pages";
import { rememberSecret } from "./run-files";

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

test("a session cookie copied before sign-out no longer opens the dashboard", async ({ auth, account }) => {
  const person = newAccount();
  await auth.signUp(person);
  const copy = await account.browserWith(await account.sessionCookies());
  await copy.goto("/settings/team");
  await expect(copy).toHaveURL(/\/settings\/team$/);

  await auth.signOut();

  await copy.goto("/settings/team");
  await expect(copy).toHaveURL(/\/login\?callbackUrl=%2Fsettings%2Fteam/);
});

test("sign out everywhere signs out every browser of the person", async ({ auth, account }) => {
  const person = newAccount();
  await auth.signUp(person);
  const laptop = await account.browserSignedIn(person.email, person.password);

  await account.signOutEverywhere();

  await laptop.goto("/settings/team");
  await expect(laptop).toHaveURL(/\/login/);
});

test("changing the password shows every field's error, then signs out the other browsers only", async ({ page, auth, account }) => {
  const person = newAccount();
  await auth.signUp(person);
  const laptop = await account.browserSignedIn(person.email, person.password);
  const renewed = `${person.password}-renewed`;
  rememberSecret(`new password of ${person.email}`, renewed);

  await account.changePassword("", "password");
  await expect(account.fieldError("Current password")).toHaveText("Enter your current password.");
  await expect(account.fieldError("New password")).toHaveText(/too easy to guess/);
  await account.changePassword("not-my-password", renewed);
  await expect(account.fieldError("Current password")).toHaveText("That is not your current password.");

  await account.changePassword(person.password, renewed);
  await expect(page.getByText("Password changed; 1 other session signed out")).toBeVisible();
  // This browser stays in; the other one is out.
  await page.goto("/settings/team");
  await expect(page).toHaveURL(/\/settings\/team$/);
  await laptop.goto("/settings/team");
  await expect(laptop).toHaveURL(/\/login/);
});

test("forgot password: the emailed link sets a new password once and ends the old sessions", async ({ page, auth, account, outbox }) => {
  const person = newAccount();
  await auth.signUp(person);
  // A copy of this sign-in's cookie, in another browser: the reset must end it.
  const copy = await account.browserWith(await account.sessionCookies());
  await page.context().clearCookies();

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email").fill(person.email);
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  await expect(page.getByText(/^If an account exists for that email, we sent it a link/)).toBeVisible();

  const mail = await outbox.latest(person.email, "Reset your Settle password");
  expect(mail.text).toContain("works once, for 30 minutes");
  const link = mail.links.find((l) => l.includes("/reset-password/"))!;
  rememberSecret(`reset link of ${person.email}`, new URL(link).pathname.split("/").pop()!);

  const renewed = `${person.password}-reset`;
  rememberSecret(`reset password of ${person.email}`, renewed);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await page.getByLabel("New password").fill("password");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText(/too easy to guess/)).toBeVisible();
  await page.getByLabel("New password").fill(renewed);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1/);
  await expect(page.getByText(/Your password was changed and you were signed out everywhere/)).toBeVisible();

  // The old cookie no longer opens anything; the old password no longer signs in; the new one does.
  await copy.goto("/settings/team");
  await expect(copy).toHaveURL(/\/login/);
  await auth.signIn(person.email, person.password);
  await expect(auth.formError()).toHaveText("Email or password is incorrect.");
  await auth.signIn(person.email, renewed);
  await expect(page).toHaveURL(/\/dashboard$/);

  // The link worked once.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This reset link no longer works" })).toBeVisible();
});

test("forgot password for an unknown email answers the same and mails nothing", async ({ page, outbox }) => {
  const nobody = newAccount("nobody").email;
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(nobody);
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  await expect(page.getByText(/^If an account exists for that email, we sent it a link/)).toBeVisible();
  expect(await outbox.mailsTo(nobody)).toEqual([]);
});

test("sign-up keeps every value after an error and focuses the first field in error", async ({ page, auth }) => {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Ada Lovelace");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Business name").fill("Analytical Engines");
  await page.getByLabel("Password").fill("kettle-orbit-tea-9");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByLabel("Work email")).toBeFocused();
  await expect(page.getByLabel("Work email")).toHaveValue("not-an-email");
  await expect(page.getByLabel("Your name")).toHaveValue("Ada Lovelace");
  await expect(page.getByLabel("Business name")).toHaveValue("Analytical Engines");
});

test("sign-up and sign-in work without JavaScript, and no request ever carries the password in its URL", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  const auth = new AuthPages(page);
  const account = newAccount();
  await auth.signUp(account);

  await context.clearCookies();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdashboard/);
  await auth.submitSignIn(account.email, "not-the-password");
  await expect(auth.formError()).toHaveText("Email or password is incorrect.");
  await expect(page).toHaveURL(/\/login/);
  await auth.signIn(account.email, account.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  // Signed in: the shell names the merchant (the figures stream in, which needs JavaScript).
  await expect(new DashboardPages(page).merchantName()).toHaveText(account.merchant);

  expect(urls.filter((u) => /password=/i.test(u) || u.includes(account.password))).toEqual([]);
  await context.close();
});

test("with JavaScript, signing in never puts the password in a URL either", async ({ page, auth }) => {
  const account = newAccount();
  await auth.signUp(account);
  await auth.signOut();
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  await auth.signIn(account.email, account.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(urls.length).toBeGreaterThan(0);
  expect(urls.filter((u) => /password=/i.test(u) || u.includes(account.password))).toEqual([]);
});
