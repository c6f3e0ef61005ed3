import { createHmac } from "node:crypto";
import { type APIRequestContext, expect, type Page } from "@playwright/test";

export interface ApiKey {
  clientId: string;
  secret: string;
}

/** Settings → API keys, as an owner: makes a key and reads its credentials off the page (shown once). */
export async function createKeyInUi(page: Page, name = "Order system", access?: "admin" | "support" | "viewer"): Promise<ApiKey> {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Key name").fill(name);
  if (access) await page.getByLabel("Access").selectOption(access);
  await page.getByRole("button", { name: "Create API key" }).click();
  const clientId = await page.getByTestId("api-client-id").inputValue();
  const secret = await page.getByTestId("api-secret").inputValue();
  expect(clientId).toMatch(/^ck_/);
  expect(secret).toMatch(/^sk_/);
  return { clientId, secret };
}

/**
 * A merchant's server calling /api/v1 over HTTP, signing as the docs say:
 * hex HMAC-SHA256 of METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nBODY (written here
 * from the recipe, not imported, so the recipe itself is what is tested).
 */
export function apiClient(request: APIRequestContext, key: ApiKey) {
  async function send(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown, headers: Record<string, string> = {}) {
    const raw = body === undefined ? "" : JSON.stringify(body);
    const pathWithQuery = `/api/v1${path}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac("sha256", key.secret).update(`${method}\n${pathWithQuery}\n${timestamp}\n${raw}`).digest("hex");
    const res = await request.fetch(pathWithQuery, {
      method,
      headers: {
        ...(raw ? { "content-type": "application/json" } : {}),
        "x-client-id": key.clientId,
        "x-timestamp": timestamp,
        "x-signature": signature,
        ...headers,
      },
      data: raw || undefined,
    });
    return { status: res.status(), json: (await res.json()) as any, headers: res.headers() };
  }
  return {
    get: (path: string) => send("GET", path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => send("POST", path, body, headers),
    bearer: async (path: string) => {
      const res = await request.get(`/api/v1${path}`, { headers: { authorization: `Bearer ${key.secret}` } });
      return { status: res.status(), json: (await res.json()) as any };
    },
  };
}

/** The sandbox bank app, opened from a QR payload as a customer's phone would, paying this amount. */
export async function payInSandboxBank(page: Page, qrUrl: string, amount: string) {
  await page.goto(qrUrl);
  await expect(page.getByRole("heading", { name: "Sandbox bank app" })).toBeVisible();
  await page.getByLabel(/^Amount in/).fill(amount);
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  await page.waitForURL(/\/pay\/[A-Z0-9]{8}\?return=1/);
}
