import { type Browser, type BrowserContext, expect } from "@playwright/test";

/**
 * The dev outbox (/dev/outbox), where the e2e server keeps its mail
 * (MAIL_OUTBOX=1, no SMTP_URL): read in a browser of its own, as a developer
 * would, so the test's own cookies play no part.
 */
export class OutboxPages {
  private context: BrowserContext | undefined;

  constructor(private readonly browser: Browser) {}

  /** The mails to `to`, newest first, as the outbox lists them. */
  async mailsTo(to: string) {
    this.context ??= await this.browser.newContext();
    const page = await this.context.newPage();
    try {
      await page.goto("/dev/outbox");
      const mails = page.getByTestId("outbox-mail").filter({ has: page.getByTestId("outbox-to").getByText(to, { exact: true }) });
      const out: { subject: string; text: string; links: string[] }[] = [];
      for (const mail of await mails.all()) {
        out.push({
          subject: (await mail.getByRole("heading").textContent()) ?? "",
          text: (await mail.locator("pre").textContent()) ?? "",
          links: await mail.getByRole("link").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href)),
        });
      }
      return out;
    } finally {
      await page.close();
    }
  }

  /** The newest mail to `to` with this subject; fails the test when none comes. */
  async latest(to: string, subject: string | RegExp) {
    let found: Awaited<ReturnType<OutboxPages["mailsTo"]>>[number] | undefined;
    await expect
      .poll(async () => {
        found = (await this.mailsTo(to)).find((m) => (typeof subject === "string" ? m.subject === subject : subject.test(m.subject)));
        return !!found;
      })
      .toBe(true);
    return found!;
  }

  async close() {
    await this.context?.close();
  }
}
