import { expect, type Page } from "@playwright/test";
import type { ApiKeyRole } from "../../lib/auth/roles";
import type { ApiKey } from "../api-client";

/** Settings → API keys, as an owner or admin. */
export class ApiKeyPages {
  constructor(private readonly page: Page) {}

  open() {
    return this.page.goto("/settings/api-keys");
  }

  createButton() {
    return this.page.getByRole("button", { name: "Create API key" });
  }

  /** Fills the create form on screen and submits it; what shows next is the caller's to check. */
  async submit(name: string, access?: ApiKeyRole) {
    await this.page.getByLabel("Key name").fill(name);
    if (access) await this.page.getByLabel("Access").selectOption(access);
    await this.createButton().click();
  }

  /** From a fresh /settings/api-keys: makes a key and reads its credentials off the page (shown once). */
  async create(name = "Order system", access?: ApiKeyRole): Promise<ApiKey> {
    await this.open();
    await this.submit(name, access);
    const clientId = await this.page.getByTestId("api-client-id").inputValue();
    const secret = await this.secret().inputValue();
    // Read off the once-only panel: anything else there would make every later request fail confusingly.
    expect(clientId).toMatch(/^ck_/);
    expect(secret).toMatch(/^sk_/);
    return { clientId, secret };
  }

  /** The once-only panel a new key's credentials are shown in. */
  newKeyPanel() {
    return this.page.getByTestId("new-api-key");
  }

  secret() {
    return this.page.getByTestId("api-secret");
  }

  curl() {
    return this.page.getByTestId("api-curl");
  }

  table() {
    return this.page.getByRole("table", { name: "API keys" });
  }

  row(clientId: string) {
    return this.table().locator(`tr[data-key="${clientId}"]`);
  }
}
