import type { Session } from "next-auth";
import { encode, type JWT } from "next-auth/jwt";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { changePasswordAction, signOutEverywhereAction } from "@/app/(dashboard)/settings/account/actions";
import { GET as deliveriesGET } from "@/app/api/dashboard/webhooks/deliveries/route";
import { SAME_PASSWORD, WRONG_CURRENT_PASSWORD } from "@/lib/accounts/password-change";
import { WEAK_PASSWORD } from "@/lib/accounts/password-strength";
import { LOCKED, verifyCredentials, WRONG_CREDENTIALS } from "@/lib/accounts/sign-in";
import { authSecret } from "@/lib/env";
import { useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { authOptions } from "./options";
import { getViewer } from "./session";

// The request's cookies, as a browser (or whoever copied its cookie) would send them.
const browser = vi.hoisted(() => ({ cookie: null as string | null }));
vi.mock("next/headers", () => {
  const NAME = "next-auth.session-token";
  const all = () => (browser.cookie ? [{ name: NAME, value: browser.cookie }] : []);
  return {
    cookies: async () => ({ getAll: all, get: (name: string) => all().find((c) => c.name === name) }),
    headers: async () => new Headers(),
  };
});

const { db } = useApiTestDb();
/** What test/factories.ts gives every user. */
const PASSWORD = "correct-horse";
let shop: Awaited<ReturnType<typeof makeMerchant>>;

beforeAll(async () => {
  shop = await makeMerchant(db(), "Sessions shop");
});

/** What next-auth does when someone signs in: the jwt callback with the user, then the cookie it sets. */
async function signIn(user: { id: string; email: string; name: string }): Promise<{ token: JWT; cookie: string }> {
  const options = authOptions();
  const token = await options.callbacks!.jwt!({
    token: { sub: user.id, name: user.name, email: user.email },
    user,
    account: { provider: "credentials", type: "credentials", providerAccountId: user.id },
  } as Parameters<NonNullable<typeof options.callbacks>["jwt"] & object>[0]);
  return { token, cookie: await encode({ token, secret: authSecret(), maxAge: options.session!.maxAge }) };
}

/** What the app sees with this cookie: getViewer, and a dashboard route handler. */
async function viewerWith(cookie: string) {
  browser.cookie = cookie;
  return getViewer();
}
async function deliveriesStatusWith(cookie: string) {
  browser.cookie = cookie;
  return (await deliveriesGET(new Request("http://localhost/api/dashboard/webhooks/deliveries"), undefined as never)).status;
}

const signOut = (token: JWT) => authOptions().events!.signOut!({ token, session: undefined as unknown as Session });

describe("a session cookie counts only while its session lives", () => {
  it("a copy of the cookie taken before sign-out no longer yields a viewer, nor a dashboard route", async () => {
    const laptop = await signIn(shop.owner);
    const phone = await signIn(shop.owner);
    expect((await viewerWith(laptop.cookie))?.user.email).toBe(shop.owner.email);
    expect(await deliveriesStatusWith(laptop.cookie)).toBe(200);

    await signOut(laptop.token);

    expect(await viewerWith(laptop.cookie)).toBeNull();
    expect(await deliveriesStatusWith(laptop.cookie)).toBe(401);
    // next-auth's own /api/auth/session says the same.
    const session = await authOptions().callbacks!.session!({ session: { expires: "x" }, token: laptop.token } as never);
    expect((session as Session).user).toBeUndefined();
    // Signing out ends that browser's session, not the person's others.
    expect((await viewerWith(phone.cookie))?.user.id).toBe(shop.owner.id);
  });

  it("a cookie from before this release (no session id) yields no viewer", async () => {
    const old = await encode({ token: { sub: shop.owner.id, name: shop.owner.name, email: shop.owner.email }, secret: authSecret() });
    expect(await viewerWith(old)).toBeNull();
  });

  it("sign out everywhere ends every session of the person, and nobody else's", async () => {
    const other = await shop.addMember("admin");
    const laptop = await signIn(shop.owner);
    const phone = await signIn(shop.owner);
    const colleague = await signIn(other.user);

    browser.cookie = laptop.cookie;
    expect(await signOutEverywhereAction(null, {})).toEqual({ ok: true, data: { endedSessions: expect.any(Number) } });

    expect(await viewerWith(laptop.cookie)).toBeNull();
    expect(await viewerWith(phone.cookie)).toBeNull();
    expect((await viewerWith(colleague.cookie))?.user.id).toBe(other.user.id);
    // And an ended session cannot act on the account any more.
    browser.cookie = phone.cookie;
    expect(await signOutEverywhereAction(null, {})).toEqual({ ok: false, error: "Sign in to continue." });
  });

  it("changing the password ends every other session; the browser that changed it stays in", async () => {
    const member = await shop.addMember("support");
    const laptop = await signIn(member.user);
    const stolen = await signIn(member.user);
    const newPassword = "velvet-harbour-cactus-71";

    browser.cookie = laptop.cookie;
    const result = await changePasswordAction(null, form({ currentPassword: PASSWORD, newPassword }));
    expect(result).toEqual({ ok: true, data: { endedSessions: 1 } });

    expect((await viewerWith(laptop.cookie))?.user.id).toBe(member.user.id);
    expect(await viewerWith(stolen.cookie)).toBeNull();
    await expect(verifyCredentials(db(), member.user.email, PASSWORD)).rejects.toThrow(WRONG_CREDENTIALS);
    await expect(verifyCredentials(db(), member.user.email, newPassword)).resolves.toMatchObject({ id: member.user.id });
  });
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};

describe("the change-password form", () => {
  it("reports every field's problem at once, and a wrong current password on its field, changing nothing", async () => {
    const member = await shop.addMember("viewer");
    const mine = await signIn(member.user);
    const other = await signIn(member.user);
    browser.cookie = mine.cookie;

    expect(await changePasswordAction(null, form({ currentPassword: "", newPassword: "password" }))).toEqual({
      ok: false,
      error: "Some fields need attention.",
      fieldErrors: { currentPassword: ["Enter your current password."], newPassword: [WEAK_PASSWORD] },
    });
    expect(await changePasswordAction(null, form({ currentPassword: PASSWORD, newPassword: PASSWORD }))).toMatchObject({
      fieldErrors: { newPassword: [SAME_PASSWORD] },
    });
    expect(await changePasswordAction(null, form({ currentPassword: "not-it", newPassword: "velvet-harbour-cactus-71" }))).toEqual({
      ok: false,
      error: "Some fields need attention.",
      fieldErrors: { currentPassword: [WRONG_CURRENT_PASSWORD] },
    });
    // Nothing changed: the old password still signs in, the other session still lives.
    await expect(verifyCredentials(db(), member.user.email, PASSWORD)).resolves.toMatchObject({ id: member.user.id });
    expect((await viewerWith(other.cookie))?.user.id).toBe(member.user.id);
  });

  it("guessing the current password goes through the sign-in lockout", async () => {
    const member = await shop.addMember("viewer");
    browser.cookie = (await signIn(member.user)).cookie;
    for (let i = 0; i < 5; i++) {
      expect(await changePasswordAction(null, form({ currentPassword: `guess-${i}`, newPassword: "velvet-harbour-cactus-71" }))).toMatchObject({
        fieldErrors: { currentPassword: [WRONG_CURRENT_PASSWORD] },
      });
    }
    expect(await changePasswordAction(null, form({ currentPassword: PASSWORD, newPassword: "velvet-harbour-cactus-71" }))).toEqual({ ok: false, error: LOCKED });
  });
});
