import nodemailer, { type Transporter } from "nodemailer";
import type { Database } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { afterCommit } from "@/db/transaction";
import { mailEnv, publicUrl } from "@/lib/env";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log/logger";

/** A message as every sender takes it: plain text and a simple HTML twin. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Where mail goes on this server: `smtp` (SMTP_URL), `outbox` (kept in a table
 * for /dev/outbox: no SMTP_URL outside production, or MAIL_OUTBOX=1), or
 * `off` (production with no SMTP_URL): the pages that would send say so,
 * nothing is dropped silently.
 */
export type MailMode = "smtp" | "outbox" | "off";

export function mailMode(): MailMode {
  const e = mailEnv();
  if (e.SMTP_URL) return "smtp";
  if (e.MAIL_OUTBOX === "1" || (e.NODE_ENV !== "production" && e.MAIL_OUTBOX !== "0")) return "outbox";
  return "off";
}

/**
 * Sends the mail `compose` builds (given the app's public URL for its links) only once `db`'s transaction has committed, so a rollback
 * never sends: to the outbox, a row written in that same transaction; over
 * SMTP, after COMMIT, without holding up the caller (a failure is logged).
 * Returns the mode, for the page to say whether mail went out.
 */
export async function sendMail(db: Database, compose: (appUrl: string) => Mail): Promise<MailMode> {
  const mode = mailMode();
  if (mode === "off") {
    log.warn("mail not sent: no SMTP_URL is configured");
    return "off";
  }
  // Its links start with the configured public URL, never a request's Host header (a forged
  // one would send a reset link to an attacker's site).
  const mail = compose(publicUrl());
  if (mode === "outbox") await db.insert(mailOutbox).values({ id: newId("mail"), ...mail });
  else afterCommit(db, () => void deliver(mail));
  return mode;
}

const transports = new Map<string, Transporter>();
const transport = (url: string) => {
  let t = transports.get(url);
  if (!t) transports.set(url, (t = nodemailer.createTransport(url)));
  return t;
};

/** Links carry one-time tokens: an SMTP error that echoes a message must not put one in the log. */
const withoutLinks = (text: string) => text.replace(/https?:\/\/\S+/g, "[link]").replace(/\bprt_[A-Za-z0-9_-]+/g, "prt_[redacted]");

/** Hands one message to the SMTP server; never throws (it runs after the response). */
export async function deliver(mail: Mail): Promise<boolean> {
  const { SMTP_URL, MAIL_FROM } = mailEnv();
  if (!SMTP_URL) return false;
  try {
    await transport(SMTP_URL).sendMail({ from: MAIL_FROM, ...mail });
    log.info({ to: mail.to, subject: mail.subject }, "mail sent");
    return true;
  } catch (err) {
    const e = err as { message?: string; code?: string; responseCode?: number };
    log.error(
      { to: mail.to, subject: mail.subject, err: { message: withoutLinks(String(e.message ?? err)), code: e.code, responseCode: e.responseCode } },
      "mail not sent",
    );
    return false;
  }
}
