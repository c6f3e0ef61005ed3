import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, merchants, users } from "@/db/schema";
import { useTestDb } from "@/test/db";
import { LOCKED, LOCK_WINDOW_MS, verifyCredentials, WRONG_CREDENTIALS } from "./sign-in";
import { AppError } from "@/lib/errors";
import { PERSONAL_PASSWORD, WEAK_PASSWORD } from "./password-strength";
import { signupSchema } from "./schemas";
import { signUp } from "./signup";
import { SIGNUP_REFUSED } from "./users";

const { db } = useTestDb();

describe("sign-up", () => {
  it("creates the user, a merchant and the owner membership together", async () => {
    const input = signupSchema.parse({ name: "Lan Tran", email: "Lan@Example.test", password: "kettle-orbit-tea-9", merchantName: "Lan's Tea" });
    const { user, merchantId } = await signUp(db(), input);
    expect(user.email).toBe("lan@example.test");
    const [merchant] = await db().select().from(merchants).where(eq(merchants.id, merchantId));
    expect(merchant?.name).toBe("Lan's Tea");
    const [membership] = await db().select().from(memberships).where(eq(memberships.userId, user.id));
    expect(membership).toMatchObject({ merchantId, role: "owner" });
  });

  it("refuses a second account for the same email, whatever its case, and writes nothing", async () => {
    const before = await db().$count(merchants);
    const again = signupSchema.parse({ name: "Other", email: "LAN@example.test", password: "lantern-fjord-42", merchantName: "Dup" });
    await expect(signUp(db(), again)).rejects.toMatchObject({ code: "validation_failed", message: SIGNUP_REFUSED });
    expect(await db().$count(merchants)).toBe(before);
  });

  it("does not say that the email has an account: no field error on it, no \"exists\"", async () => {
    const again = signupSchema.parse({ name: "Other", email: "lan@example.test", password: "lantern-fjord-42" });
    const err = (await signUp(db(), again).then(
      () => null,
      (e: unknown) => e,
    )) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.fields).toBeUndefined();
    expect(err.message).not.toMatch(/exist|taken|registered/i);
  });

  it("refuses common and guessable passwords with a clear message on the password field", () => {
    const person = { name: "Lan Tran", email: "lan.tran@example.test" };
    const refused = (password: string) => {
      const parsed = signupSchema.safeParse({ ...person, password });
      expect(parsed.success, password).toBe(false);
      return parsed.error!.issues.filter((i) => i.path[0] === "password").map((i) => i.message);
    };
    expect(refused("12345678")).toEqual([WEAK_PASSWORD]);
    expect(refused("password")).toEqual([WEAK_PASSWORD]);
    expect(refused("qwertyuiop")).toEqual([WEAK_PASSWORD]);
    expect(refused("lan.tran@example.test")).toEqual([PERSONAL_PASSWORD]);
    expect(refused("LanTran1990")).toEqual([PERSONAL_PASSWORD]);
    expect(refused("Lan Tran")).toEqual([PERSONAL_PASSWORD]);
    // Reported with the other fields' errors, once.
    const parsed = signupSchema.safeParse({ name: "", email: "nope", password: "password" });
    expect(parsed.error!.issues.map((i) => [i.path[0], i.message])).toEqual(
      expect.arrayContaining([["password", WEAK_PASSWORD]]),
    );
    expect(parsed.error!.issues.filter((i) => i.path[0] === "password")).toHaveLength(1);
    // A phrase of unrelated words passes.
    expect(signupSchema.safeParse({ ...person, password: "kettle-orbit-tea-9" }).success).toBe(true);
  });

  it("reports every invalid field at once", () => {
    const parsed = signupSchema.safeParse({ name: "", email: "not-an-email", password: "short" });
    expect(parsed.success).toBe(false);
    const fields = new Set(parsed.error!.issues.map((i) => i.path[0]));
    expect(fields).toEqual(new Set(["name", "email", "password"]));
  });
});

describe("sign-in", () => {
  it("accepts the right password and gives one message for a wrong password or an unknown email", async () => {
    const user = await verifyCredentials(db(), "lan@example.test", "kettle-orbit-tea-9");
    expect(user.name).toBe("Lan Tran");
    await expect(verifyCredentials(db(), "lan@example.test", "wrong")).rejects.toThrow(WRONG_CREDENTIALS);
    await expect(verifyCredentials(db(), "nobody@example.test", "wrong")).rejects.toThrow(WRONG_CREDENTIALS);
  });

  it("locks an email for 15 minutes after 5 failures, even with the right password", async () => {
    const email = "lan@example.test";
    const t0 = new Date("2026-01-01T10:00:00Z");
    for (let i = 0; i < 5; i++) {
      await expect(verifyCredentials(db(), email, "guess", new Date(t0.getTime() + i * 1000))).rejects.toThrow(WRONG_CREDENTIALS);
    }
    const during = new Date(t0.getTime() + 10 * 60 * 1000);
    await expect(verifyCredentials(db(), email, "kettle-orbit-tea-9", during)).rejects.toThrow(LOCKED);
    const after = new Date(t0.getTime() + 4000 + LOCK_WINDOW_MS + 1000);
    const user = await verifyCredentials(db(), email, "kettle-orbit-tea-9", after);
    expect(user.email).toBe(email);
    // success clears the count: one more failure does not lock again
    await expect(verifyCredentials(db(), email, "guess", after)).rejects.toThrow(WRONG_CREDENTIALS);
    await expect(verifyCredentials(db(), email, "kettle-orbit-tea-9", after)).resolves.toMatchObject({ email });
    const [row] = await db().select().from(users).where(eq(users.email, email));
    expect(row).toBeDefined();
  });
});
