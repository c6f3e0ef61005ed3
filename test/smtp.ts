import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface TestSmtp {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  /** Every message received so far, parsed. */
  mails: ParsedMail[];
  /** Waits for the `n`th message to `to` (1-based) and returns it. */
  mailTo(to: string, n?: number, timeoutMs?: number): Promise<ParsedMail>;
  /** The messages received for `to`. */
  to(to: string): ParsedMail[];
  close(): Promise<void>;
}

const addressed = (mail: ParsedMail, to: string) =>
  [mail.to ?? []].flat().some((a) => a.value.some((v) => v.address?.toLowerCase() === to.toLowerCase()));

/** A real SMTP server on 127.0.0.1 (no auth, no TLS) that keeps what it receives. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  const to = (address: string) => mails.filter((m) => addressed(m, address));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    to,
    async mailTo(address, n = 1, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const got = to(address)[n - 1];
        if (got) return got;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no mail #${n} to ${address} within ${timeoutMs} ms (got ${to(address).length})`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a mail's plain text that contains `path`. */
export function linkIn(mail: ParsedMail, path: string): string {
  const link = (mail.text ?? "").match(/https?:\/\/\S+/g)?.find((l) => l.includes(path));
  if (!link) throw new Error(`no ${path} link in: ${mail.text}`);
  return link;
}
