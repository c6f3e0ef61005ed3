import type { Page } from "@playwright/test";
import { confirmDialog } from "./confirm-dialog";

/**
 * Webhooks: the endpoints list and an endpoint's page, the delivery log and a
 * delivery's page, and the webhook settings. Built on any page, so a second
 * tab or a member's own browser gets the same steps.
 */
export class WebhookPages {
  constructor(readonly page: Page) {}

  open() {
    return this.page.goto("/webhooks");
  }

  endpoints() {
    return this.page.getByRole("list", { name: "Endpoints" });
  }

  addEndpointButton() {
    return this.page.getByRole("button", { name: "Add endpoint" });
  }

  /**
   * Adds an endpoint and waits for its page; returns that page's path. Opens
   * /webhooks only if not already there, so a test that got there through
   * the navigation stays on the page it navigated to.
   */
  async addEndpoint(url: string, opts: { description?: string } = {}) {
    if (new URL(this.page.url()).pathname !== "/webhooks") await this.open();
    await this.page.getByLabel("Endpoint URL").fill(url);
    if (opts.description !== undefined) await this.page.getByLabel("Description").fill(opts.description);
    await this.addEndpointButton().click();
    await this.page.waitForURL(/\/webhooks\/we_\w+$/);
    return new URL(this.page.url()).pathname;
  }

  /** On an endpoint's page: shows the signing secret and reads it. */
  async revealSecret() {
    await this.page.getByRole("button", { name: "Reveal secret" }).click();
    return this.page.getByTestId("signing-secret").inputValue();
  }

  /** On an endpoint's page: deletes it, confirming the dialog, and waits to be back on the endpoints list. */
  async deleteEndpoint() {
    await this.page.getByRole("button", { name: "Delete endpoint" }).click();
    await confirmDialog(this.page, "Delete endpoint");
    await this.page.waitForURL(/\/webhooks$/);
  }

  sendTestEventButton() {
    return this.page.getByRole("button", { name: "Send test event" });
  }

  sendTestEvent() {
    return this.sendTestEventButton().click();
  }

  /** The outcome of the last attempt this page made: a test event's or a retry's. */
  attemptResult() {
    return this.page.getByTestId("attempt-result");
  }

  /** On a delivery's page: its attempts, newest first. */
  attempts() {
    return this.page.getByTestId("attempt");
  }

  openDeliveries() {
    return this.page.goto("/webhooks/deliveries");
  }

  deliveryRow(name: RegExp) {
    return this.page.getByRole("row", { name });
  }

  /** From the delivery log: opens the delivery in the row matching `name`. */
  openDelivery(name: RegExp) {
    return this.deliveryRow(name).getByRole("link").click();
  }

  retryNowButton() {
    return this.page.getByRole("button", { name: "Retry now" });
  }

  /** The log's filters, folded behind their summary until opened. */
  filters() {
    return this.page.getByTestId("delivery-filters");
  }

  filtersSummary() {
    return this.filters().locator("summary");
  }

  /** Unfolds the log's filters, if they are folded. */
  async openFilters() {
    if (!(await this.filters().evaluate((d: HTMLDetailsElement) => d.open))) await this.filtersSummary().click();
    await this.page.getByRole("button", { name: "Apply filters" }).waitFor();
  }

  /** The log's filter form, narrowed to failed deliveries. */
  async filterFailed() {
    await this.openFilters();
    await this.page.getByRole("checkbox", { name: "Failed" }).check();
    await this.page.getByRole("button", { name: "Apply filters" }).click();
  }

  /** The log's filter form, narrowed to one endpoint by the option's whole text. */
  async filterByEndpoint(option: string) {
    await this.openFilters();
    await this.page.getByRole("combobox", { name: "Endpoint" }).selectOption({ label: option });
    await this.page.getByRole("button", { name: "Apply filters" }).click();
  }

  /** Queues a background retry of every delivery the filters match, confirming the dialog. */
  async retryAllMatching() {
    await this.page.getByRole("button", { name: "Retry all matching" }).click();
    await confirmDialog(this.page, "Retry all");
  }

  openSettings() {
    return this.page.goto("/webhooks/settings");
  }
}
