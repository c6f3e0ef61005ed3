import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailOutbox } from "@/db/schema";
import { transaction } from "@/db/transaction";
import { findPendingInvite, createInvite } from "@/lib/team/invites";
import { makeMerchant } from "@/test/factories";
import { useTestDb } from "@/test/db";
import { linkIn, startTestSmtp, type TestSmtp } from "@/test/smtp";
import { deliver, sendMail } from "./mailer";
import { listOutbox } from "./outbox";

const { db } = useTestDb();
let smtp: TestSmtp;
const saved = { SMTP_URL: process.env.SMTP_URL, NEXTAUTH_URL: process.env.NEXTAUTH_URL };
const restore = () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
};

beforeAll(async () => {
  smtp = await startTestSmtp();
  process.env.NEXTAUTH_URL = "https://settle.example";
});
afterAll(async () => {
  restore();
  await smtp.close();
});

const note = (to: string) => () => ({ to, subject: "Hello", text: "Hi", html: "<p>Hi</p>" });

describe("mail over SMTP", () => {
  beforeAll(() => {
    process.env.SMTP_URL = smtp.url;
  });

  it("an invite mails its one-time link to the invitee", async () => {
    const { ownerActor } = await makeMerchant(db(), "Lan's Tea");
    const { token, mail } = await createInvite(db(), ownerActor, { email: "Mai@Example.test", role: "support" });
    expect(mail).toBe("smtp");
    const received = await smtp.mailTo("mai@example.test");
    expect(received.subject).toBe("Owner invited you to Lan's Tea on Settle");
    expect(received.text).toContain("as Support");
    const link = linkIn(received, "/invite/");
    expect(link).toBe(`https://settle.example/invite/${token}`);
    expect(await findPendingInvite(db(), token)).toBeDefined();
  });

  it("sends nothing when the transaction that asked rolls back", async () => {
    await expect(
      transaction(db(), async (tx) => {
        await sendMail(tx, note("rolled-back@example.test"));
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await transaction(db(), (tx) => sendMail(tx, note("committed@example.test")));
    await smtp.mailTo("committed@example.test");
    expect(smtp.to("rolled-back@example.test")).toEqual([]);
  });

  it("a server that refuses is reported as not sent, without throwing", async () => {
    process.env.SMTP_URL = "smtp://127.0.0.1:1";
    try {
      expect(await deliver(note("x@example.test")())).toBe(false);
    } finally {
      process.env.SMTP_URL = smtp.url;
    }
  });
});

describe("mail with no SMTP_URL outside production: the outbox", () => {
  beforeAll(() => {
    delete process.env.SMTP_URL;
  });

  it("keeps the invite mail as a row that only a commit leaves behind", async () => {
    const { ownerActor } = await makeMerchant(db());
    const { token, mail } = await createInvite(db(), ownerActor, { email: "kept@example.test", role: "viewer" });
    expect(mail).toBe("outbox");
    const [kept] = await listOutbox(db(), 1);
    expect(kept).toMatchObject({ to: "kept@example.test" });
    expect(kept!.text).toContain(`https://settle.example/invite/${token}`);

    const before = await db().$count(mailOutbox);
    await expect(
      transaction(db(), async (tx) => {
        await sendMail(tx, note("never@example.test"));
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await db().$count(mailOutbox)).toBe(before);
  });
});
