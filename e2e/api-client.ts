import { createHmac } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";

/** A key's credentials, as Settings → API keys shows them once (ApiKeyPages.create reads them). */
export interface ApiKey {
  clientId: string;
  secret: string;
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
    patch: (path: string, body: unknown) => send("PATCH", path, body),
    bearer: async (path: string) => {
      const res = await request.get(`/api/v1${path}`, { headers: { authorization: `Bearer ${key.secret}` } });
      return { status: res.status(), json: (await res.json()) as any };
    },
  };
}
