import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { SetupState } from "@/lib/dashboard/queries";

/** What a new merchant does first; gone once all three are done. */
export async function FirstSteps({ data, livemode }: { data: Promise<SetupState>; livemode: boolean }) {
  const state = await data;
  const steps = [
    {
      done: state.hasInvoices,
      title: "Create your first invoice",
      body: "Bill a customer, then share its checkout link or record a payment you received.",
      href: "/invoices/new",
      action: "New invoice",
    },
    {
      done: state.hasPaymentService,
      title: "Link a bank account",
      body: livemode
        ? "Customers pay by scanning a VietQR code into your account. Live mode offers only what you link: until then a live checkout has no way to pay."
        : "Customers pay by scanning a VietQR code into your account. Here in test mode the built-in sandbox lets you try every flow.",
      href: "/settings/payment-services",
      action: "Payment services",
    },
    {
      done: state.hasEndpoint,
      title: "Add a webhook endpoint",
      body: "Your own systems hear about every invoice and payment as a signed webhook.",
      href: "/webhooks",
      action: "Webhooks",
    },
  ];
  if (steps.every((s) => s.done)) return null;
  return (
    <Card data-testid="first-steps">
      <CardHeader title="Get started" description={`${steps.filter((s) => s.done).length} of ${steps.length} done`} />
      <ol className="divide-y divide-line-soft">
        {steps.map((s, i) => (
          <li key={s.href} className="flex flex-wrap items-center gap-x-4 gap-y-2 px-5 py-4 sm:flex-nowrap">
            <span
              aria-hidden="true"
              className={cn(
                "flex h-7 w-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold",
                s.done ? "bg-brand-700 text-white" : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300",
              )}
            >
              {s.done ? "✓" : i + 1}
            </span>
            <div className="min-w-0 flex-1">
              <p className={cn("text-sm font-medium", s.done ? "text-subtle line-through" : "text-strong")}>
                {s.title}
                {s.done ? <span className="sr-only"> (done)</span> : null}
              </p>
              {s.done ? null : <p className="text-sm text-muted">{s.body}</p>}
            </div>
            {s.done ? null : (
              <Link href={s.href} className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-400">
                {s.action} →
              </Link>
            )}
          </li>
        ))}
      </ol>
    </Card>
  );
}
