import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { formatDateTime } from "@/lib/format/time";
import { listOutbox, outboxOpen } from "@/lib/mail/outbox";

export const metadata = { title: "Outbox (development)" };
export const dynamic = "force-dynamic";

/**
 * The mail this server would have sent, for a developer with no SMTP server:
 * only where mail is kept rather than sent (lib/mail/mailer.ts); a 404
 * everywhere else, production included.
 */
export default async function OutboxPage() {
  if (!outboxOpen()) notFound();
  const mails = await listOutbox(await getDb());
  return (
    <main className="mx-auto max-w-3xl space-y-4 px-4 py-8">
      <h1 className="text-xl font-semibold text-strong">Outbox</h1>
      <p className="text-sm text-muted">
        No SMTP_URL is set, so mail is kept here instead of sent: the newest first, the last 50. Set SMTP_URL to send it.
      </p>
      {mails.length === 0 ? <p className="text-sm text-subtle">No mail yet.</p> : null}
      <ul className="space-y-4" aria-label="Mail">
        {mails.map((m) => (
          <li key={m.id} className="rounded-lg bg-surface p-4 ring-1 ring-line" data-testid="outbox-mail">
            <h2 className="font-medium text-strong">{m.subject}</h2>
            <p className="text-sm text-subtle">
              To <span data-testid="outbox-to">{m.to}</span> · {formatDateTime(m.createdAt)}
            </p>
            <pre className="mt-3 whitespace-pre-wrap break-words text-sm text-body">{m.text}</pre>
            <ul className="mt-2 text-sm">
              {[...m.text.matchAll(/https?:\/\/\S+/g)].map(([href]) => (
                <li key={href}>
                  <a href={href} className="font-medium text-brand-700 hover:underline dark:text-brand-400">
                    Open {new URL(href).pathname.split("/")[1]} link
                  </a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </main>
  );
}
