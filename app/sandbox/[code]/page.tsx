import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { isLocale } from "@/lib/checkout/locale";
import { AppError } from "@/lib/errors";
import { type CurrencyCode, formatAmount, toMajorString } from "@/lib/money";
import { sandboxSession } from "@/lib/payment-services/sandbox-provider";
import { sandboxAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sandbox provider", robots: { index: false } };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const button = "h-11 w-full rounded-lg px-4 text-sm font-semibold shadow-sm";

/** The built-in provider's page: plays the bank app (QR flow) or the card page (redirect flow). */
export default async function SandboxPage({ params, searchParams }: { params: Promise<{ code: string }>; searchParams: Promise<Search> }) {
  const [{ code }, search] = await Promise.all([params, searchParams]);
  const serviceId = one(search.service) ?? "";
  const flow = one(search.flow) === "redirect" ? "redirect" : "qr";
  let session;
  try {
    session = await sandboxSession(await getDb(), code, serviceId);
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
  const { link, merchantName } = session;
  const currency = link.currency as CurrencyCode;
  const due = Math.max(0, link.amount - link.paidAmount) || link.amount;
  const error = one(search.error);
  // The customer's checkout language: the buttons send them back to it.
  const lang = one(search.lang);
  const hidden = (
    <>
      <input type="hidden" name="code" value={link.code} />
      <input type="hidden" name="service" value={serviceId} />
      <input type="hidden" name="flow" value={flow} />
      {isLocale(lang) ? <input type="hidden" name="lang" value={lang} /> : null}
    </>
  );

  return (
    <div className="min-h-dvh bg-indigo-50 px-4 py-6 dark:bg-slate-950">
      <main className="mx-auto max-w-md space-y-4">
        <header className="rounded-xl bg-indigo-900 p-4 text-white">
          <p className="text-xs font-semibold uppercase tracking-wider text-indigo-200">Settle sandbox · test mode</p>
          <h1 className="mt-1 text-lg font-semibold">{flow === "qr" ? "Sandbox bank app" : "Sandbox card page"}</h1>
          <p className="text-sm text-indigo-100">
            No real money moves. Each button sends a signed notification to Settle, like a real provider, then takes you back.
          </p>
        </header>

        <section className="rounded-xl bg-surface p-5 shadow-sm ring-1 ring-line">
          <p className="text-sm text-muted">Paying {merchantName}</p>
          <p className="text-3xl font-bold text-strong" data-testid="sandbox-due">
            {formatAmount(due, currency)}
          </p>
          <p className="mt-1 text-sm text-muted">
            Link {link.code} · {link.status} · {link.paymentStatus}
          </p>
          {error ? (
            <p role="alert" className="mt-3 rounded-md bg-red-50 dark:bg-red-950/40 px-3 py-2 text-sm text-red-700 dark:text-red-300 ring-1 ring-inset ring-red-200 dark:ring-red-900">
              {error}
            </p>
          ) : null}
          <div className="mt-4 grid gap-2">
            <form action={sandboxAction}>
              {hidden}
              <button name="op" value="approve" className={`${button} bg-emerald-700 text-white hover:bg-emerald-800`}>
                Approve {formatAmount(due, currency)}
              </button>
            </form>
            <form action={sandboxAction}>
              {hidden}
              <button name="op" value="decline" className={`${button} bg-surface text-red-700 dark:text-red-300 ring-1 ring-inset ring-red-300 dark:ring-red-800 hover:bg-red-50 dark:hover:bg-red-950/40`}>
                Decline
              </button>
            </form>
          </div>
        </section>

        <section className="rounded-xl bg-surface p-5 shadow-sm ring-1 ring-line">
          <h2 className="text-sm font-semibold text-strong">Pay a chosen amount</h2>
          <p className="text-sm text-muted">Less than due makes a partial payment; more makes an overpayment.</p>
          <form action={sandboxAction} className="mt-3 flex gap-2">
            {hidden}
            <input type="hidden" name="op" value="pay_amount" />
            <label htmlFor="sandbox-amount" className="sr-only">
              Amount in {currency}
            </label>
            <input
              id="sandbox-amount"
              name="amount"
              inputMode="decimal"
              defaultValue={toMajorString(due, currency)}
              className="block w-full rounded-lg border-0 bg-surface px-3 py-2 text-sm text-strong ring-1 ring-inset ring-slate-300 dark:ring-slate-600 focus:ring-2 focus:ring-indigo-600 dark:focus:ring-indigo-400"
            />
            <button className={`${button} w-auto bg-indigo-700 text-white hover:bg-indigo-800`}>Pay</button>
          </form>
        </section>

        <section className="rounded-xl bg-surface p-5 shadow-sm ring-1 ring-line">
          <h2 className="text-sm font-semibold text-strong">Provider behaviour</h2>
          <div className="mt-3 grid gap-2">
            <form action={sandboxAction}>
              {hidden}
              <button name="op" value="replay" className={`${button} bg-surface text-slate-800 dark:text-slate-200 ring-1 ring-inset ring-slate-300 dark:ring-slate-600 hover:bg-slate-50 dark:hover:bg-slate-800/60`}>
                Replay the last notification
              </button>
            </form>
            <form action={sandboxAction}>
              {hidden}
              <button name="op" value="late" className={`${button} bg-surface text-slate-800 dark:text-slate-200 ring-1 ring-inset ring-slate-300 dark:ring-slate-600 hover:bg-slate-50 dark:hover:bg-slate-800/60`}>
                Pay after the link expires (late payment)
              </button>
            </form>
            <form action={sandboxAction}>
              {hidden}
              <button name="op" value="expire" className={`${button} bg-surface text-slate-800 dark:text-slate-200 ring-1 ring-inset ring-slate-300 dark:ring-slate-600 hover:bg-slate-50 dark:hover:bg-slate-800/60`}>
                Expire the link now
              </button>
            </form>
          </div>
        </section>
      </main>
    </div>
  );
}
