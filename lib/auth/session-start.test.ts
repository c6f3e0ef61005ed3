import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { signInAction } from "@/app/(auth)/actions";
import { WRONG_CREDENTIALS } from "@/lib/accounts/sign-in";
import { useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { getViewer } from "./session";
import { sessionCookieName } from "./session-start";

// The browser's cookie jar: what the action sets, the next request sends.
const jar = vi.hoisted(() => new Map<string, { value: string; options: Record<string, unknown> }>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    getAll: () => [...jar].map(([name, c]) => ({ name, value: c.value })),
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)!.value } : undefined),
    set: (name: string, value: string, options: Record<string, unknown>) => jar.set(name, { value, options }),
  }),
  headers: async () => new Headers(),
}));

const { db } = useApiTestDb();
let shop: Awaited<ReturnType<typeof makeMerchant>>;
beforeAll(async () => {
  shop = await makeMerchant(db(), "Sign-in shop");
});
afterEach(() => {
  jar.clear();
  vi.unstubAllEnvs();
});

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("signing in through the form's server action (no JavaScript needed)", () => {
  it("sets the session cookie getViewer reads, then redirects to the callback", async () => {
    await expect(signInAction(null, form({ email: shop.owner.email, password: "correct-horse", callbackUrl: "/invoices" }))).rejects.toThrow(/NEXT_REDIRECT/);
    const cookie = jar.get("next-auth.session-token");
    expect(cookie?.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/" });
    expect((await getViewer())?.user.email).toBe(shop.owner.email);
  });

  it("refuses a wrong password with the sign-in message and sets no cookie", async () => {
    const result = await signInAction(null, form({ email: shop.owner.email, password: "not-the-password" }));
    expect(result).toEqual({ ok: false, error: WRONG_CREDENTIALS, fieldErrors: undefined });
    expect(jar.size).toBe(0);
  });

  it("names the cookie __Secure- exactly when next-auth does (an https NEXTAUTH_URL)", () => {
    vi.stubEnv("NEXTAUTH_URL", "https://settle.example");
    expect(sessionCookieName()).toBe("__Secure-next-auth.session-token");
    vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
    expect(sessionCookieName()).toBe("next-auth.session-token");
  });
});
