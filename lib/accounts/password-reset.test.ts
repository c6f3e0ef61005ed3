import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { passwordResets } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { makeUser } from "@/test/factories";
import { useTestDb } from "@/test/db";
import { linkIn, startTestSmtp, type TestSmtp } from "@/test/smtp";
import { WEAK_PASSWORD } from "./password-strength";
import { RESET_LINK_DEAD, RESET_TTL_MS, findResetLink, requestPasswordReset, resetPassword } from "./password-reset";
import { liveSessionCount, liveSessionUser, startSession } from "./sessions";
import { LOCKED, verifyCredentials } from "./sign-in";

const { db } = useTestDb();
let smtp: TestSmtp;
const saved = { SMTP_URL: process.env.SMTP_URL, NEXTAUTH_URL: process.env.NEXTAUTH_URL };

beforeAll(async () => {
  smtp = await startTestSmtp();
  process.env.SMTP_URL = smtp.url;
  process.env.NEXTAUTH_URL = "https://settle.example";
});
afterAll(async () => {
  Object.assign(process.env, saved);
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  await smtp.close();
});

const tokenOf = (link: string) => decodeURIComponent(new URL(link).pathname.split("/").pop()!);
const NEW_PASSWORD = "quartz-meadow-lantern-71";

async function resetLinkFor(email: string, n = 1) {
  expect(await requestPasswordReset(db(), { email })).toEqual({ mail: "smtp" });
  const mail = await smtp.mailTo(email, n);
  return { mail, token: tokenOf(linkIn(mail, "/reset-password/")) };
}

describe("forgot password, through a real SMTP server", () => {
  it("mails a link to the configured URL that sets a new password once, ends every session and clears the lockout", async () => {
    const user = await makeUser(db());
    const sessions = [await startSession(db(), user.id), await startSession(db(), user.id)];
    for (let i = 0; i < 5; i++) await verifyCredentials(db(), user.email, "wrong-guess").catch(() => undefined);
    await expect(verifyCredentials(db(), user.email, "correct-horse")).rejects.toMatchObject({ message: LOCKED });

    const { mail, token } = await resetLinkFor(user.email);
    expect(mail.subject).toBe("Reset your Settle password");
    expect(linkIn(mail, "/reset-password/")).toMatch(/^https:\/\/settle\.example\/reset-password\/prt_[A-Za-z0-9_-]{43}$/);
    expect(mail.html).toContain(`https://settle.example/reset-password/${token}`);

    expect(await resetPassword(db(), { token, password: NEW_PASSWORD })).toEqual({ email: user.email });
    expect(await liveSessionCount(db(), user.id)).toBe(0);
    for (const sessionId of sessions) expect(await liveSessionUser(db(), { sessionId, userId: user.id })).toBeNull();
    // Unlocked, and only the new password works.
    await expect(verifyCredentials(db(), user.email, "correct-horse")).rejects.toMatchObject({ code: "unauthenticated" });
    expect((await verifyCredentials(db(), user.email, NEW_PASSWORD)).id).toBe(user.id);

    // Once: the same link is refused after use.
    expect(await findResetLink(db(), token)).toBeUndefined();
    await expect(resetPassword(db(), { token, password: "another-quartz-meadow-82" })).rejects.toMatchObject({ message: RESET_LINK_DEAD });
  });

  it("a link expires after 30 minutes", async () => {
    const user = await makeUser(db());
    const { token } = await resetLinkFor(user.email);
    const later = new Date(Date.now() + RESET_TTL_MS + 1000);
    expect(await findResetLink(db(), token, later)).toBeUndefined();
    await expect(resetPassword(db(), { token, password: NEW_PASSWORD }, later)).rejects.toMatchObject({ message: RESET_LINK_DEAD });
    await expect(verifyCredentials(db(), user.email, "correct-horse")).resolves.toMatchObject({ id: user.id });
  });

  it("using one link spends every other outstanding link of the user", async () => {
    const user = await makeUser(db());
    const first = await resetLinkFor(user.email, 1);
    const second = await resetLinkFor(user.email, 2);
    await resetPassword(db(), { token: second.token, password: NEW_PASSWORD });
    await expect(resetPassword(db(), { token: first.token, password: "another-quartz-meadow-82" })).rejects.toMatchObject({
      message: RESET_LINK_DEAD,
    });
  });

  it("refuses a guessable password on its field and leaves the link usable", async () => {
    const user = await makeUser(db());
    const { token } = await resetLinkFor(user.email);
    const err = await resetPassword(db(), { token, password: "password1" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).fields).toEqual({ password: [WEAK_PASSWORD] });
    expect(await findResetLink(db(), token)).toBeDefined();
  });

  it("answers an unknown email exactly as a known one, and mails nothing", async () => {
    const before = smtp.mails.length;
    expect(await requestPasswordReset(db(), { email: "nobody@example.test" })).toEqual({ mail: "smtp" });
    // A known one to the same server afterwards: once it has arrived, the unknown one would have too.
    const user = await makeUser(db());
    await resetLinkFor(user.email);
    expect(smtp.to("nobody@example.test")).toEqual([]);
    expect(smtp.mails.length).toBe(before + 1);
  });

  it("sends at most 3 links per email in 15 minutes, answering the same to the 4th", async () => {
    const user = await makeUser(db());
    for (let n = 1; n <= 3; n++) await resetLinkFor(user.email, n);
    expect(await requestPasswordReset(db(), { email: user.email })).toEqual({ mail: "smtp" });
    const other = await makeUser(db());
    await resetLinkFor(other.email);
    expect(smtp.to(user.email)).toHaveLength(3);
    // 15 minutes on, the window has passed.
    expect(await requestPasswordReset(db(), { email: user.email }, new Date(Date.now() + 16 * 60 * 1000))).toEqual({ mail: "smtp" });
    await smtp.mailTo(user.email, 4);
  });

  it("in production with no SMTP_URL, says mail is off and stores no link", async () => {
    const user = await makeUser(db());
    const env = { SMTP_URL: process.env.SMTP_URL, NODE_ENV: process.env.NODE_ENV };
    delete process.env.SMTP_URL;
    (process.env as Record<string, string>).NODE_ENV = "production";
    try {
      expect(await requestPasswordReset(db(), { email: user.email })).toEqual({ mail: "off" });
    } finally {
      Object.assign(process.env, env);
    }
    expect(await db().$count(passwordResets, eq(passwordResets.userId, user.id))).toBe(0);
  });
});
