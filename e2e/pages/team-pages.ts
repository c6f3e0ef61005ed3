import type { Browser, BrowserContext, Page } from "@playwright/test";
import type { Role } from "../../lib/auth/roles";
import { type Account, AuthPages, newAccount } from "./auth-pages";

/** The roles an owner can invite. */
export type InvitedRole = Exclude<Role, "owner">;

/**
 * Someone with an invite link, in a browser of their own (cookies apart
 * from the owner's), so both can act side by side in one test.
 */
export class Invitee {
  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly link: string,
  ) {}

  get token() {
    return this.link.split("/invite/")[1]!;
  }

  /** From the invite page: "Create an account and join", then the invited sign-up form; waits for the dashboard. */
  async join(account: Account) {
    await this.page.getByRole("link", { name: "Create an account and join" }).click();
    await this.page.waitForURL(/\/signup\?invite=/);
    await new AuthPages(this.page).completeSignUp(account, { invited: true });
  }

  close() {
    return this.context.close();
  }
}

/** A member who has joined: their account, and their own browser, signed in. */
export interface Member {
  account: Account;
  role: InvitedRole;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Settings → Team, as the signed-in owner on `page`; invitees get browsers of their own from `browser`. */
export class TeamPages {
  /** Every browser opened for an invitee, closed at the end of the test if the test has not. */
  private readonly opened: BrowserContext[] = [];

  constructor(
    private readonly page: Page,
    private readonly browser: Browser,
  ) {}

  open() {
    return this.page.goto("/settings/team");
  }

  /** The one-time link the last invite made. */
  inviteLink() {
    return this.page.getByTestId("invite-link");
  }

  pendingInvites() {
    return this.page.getByRole("list", { name: "Pending invites" });
  }

  members(page: Page = this.page) {
    return page.getByRole("list", { name: "Members" });
  }

  roleOf(email: string) {
    return this.page.getByLabel(`Role of ${email}`);
  }

  /** Invites this email as this role from a fresh team page and returns the invite link it shows. */
  async invite(email: string, role: InvitedRole) {
    await this.open();
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Role", { exact: true }).selectOption(role);
    await this.page.getByRole("button", { name: "Create invite link" }).click();
    return this.inviteLink().inputValue();
  }

  /** Opens an invite link in a new, signed-out browser: the invitee's own. */
  async openInvite(link: string) {
    const context = await this.browser.newContext();
    this.opened.push(context);
    const page = await context.newPage();
    await page.goto(link);
    return new Invitee(context, page, link);
  }

  /**
   * The whole invite-and-join flow, written once: the owner invites a new
   * person as `role`, who opens the link in a browser of their own and signs
   * up through it. Returns that member, signed in on their dashboard.
   */
  async joinAs(role: InvitedRole): Promise<Member> {
    const account = newAccount(role);
    const invitee = await this.openInvite(await this.invite(account.email, role));
    await invitee.join(account);
    return { account, role, context: invitee.context, page: invitee.page, close: () => invitee.close() };
  }

  /** Fixture teardown: closing a context twice is harmless, so this also covers the ones a test closed itself. */
  async closeAll() {
    await Promise.all(this.opened.map((context) => context.close()));
  }
}
