import Link from "next/link";
import { notFound } from "next/navigation";
import { CheckoutLink } from "@/components/invoices/checkout-link";
import { RecordPaymentForm, VoidInvoiceButton } from "@/components/invoices/invoice-actions";
import { firstParam } from "@/components/invoices/filters";
import { RefundForm, type RefundFormRoute } from "@/components/invoices/refund-form";
import { RefundsList } from "@/components/invoices/refunds-list";
import { InvoiceDeliveries } from "@/components/invoices/invoice-deliveries";
import { InvoiceStatusBadge } from "@/components/invoices/status-badge";
import { InvoicePaymentLinks } from "@/components/payment-links/invoice-payment-links";
import { Timeline } from "@/components/invoices/timeline";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { type Database, getDb } from "@/db/client";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { publicUrl } from "@/lib/env";
import { getInvoice, invoiceEvents } from "@/lib/invoices/queries";
import { invoicePaymentLinks } from "@/lib/payment-links/queries";
import { refundableOf } from "@/lib/refunds/ledger";
import { refundRouteOfService, refundsOfInvoice } from "@/lib/refunds/queries";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { paymentMethodLabels, paymentResultLabels } from "@/lib/format/labels";
import { formatDateTime, formatDay } from "@/lib/format/time";
import { formatInvoiceNumber } from "@/lib/invoices/schemas";
import { type CurrencyCode, formatAmount } from "@/lib/money";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";

export const metadata = { title: "Invoice" };

export default async function InvoicePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const refundParam = firstParam((await searchParams).refund);
  const actor = await requireActor();
  const db = await getDb();
  const invoice = await getInvoice(db, { merchantId: actor.merchantId, id });
  if (!invoice) notFound();
  const [timeline, refunds] = await Promise.all([
    invoiceEvents(db, { merchantId: actor.merchantId, invoiceId: id }),
    invoice.payments.length ? refundsOfInvoice(db, { merchantId: actor.merchantId, invoiceId: id }) : [],
  ]);
  const currency = invoice.currency as CurrencyCode;
  const money = (minor: number) => formatAmount(minor, currency);
  const number = formatInvoiceNumber(invoice.number);
  const balance = invoice.amount - invoice.paidAmount;
  const progress = invoice.amount > 0 ? Math.min(100, Math.round((invoice.paidAmount / invoice.amount) * 100)) : 0;
  const canWrite = can(actor.role, "invoices.write");
  // Owners and admins give money back; support and viewers see refunds only.
  const canRefund = can(actor.role, "refunds.write");
  const refundable = (p: (typeof invoice.payments)[number]) => (canRefund ? refundableOf(p) : 0);
  // The Refund link opens the form for its payment (?refund=<payment id>): a plain link, so no JavaScript is needed.
  const refunding = refundParam ? invoice.payments.find((p) => p.id === refundParam && refundable(p) > 0) : undefined;
  const refundRoute = refunding ? await refundFormRoute(db, actor.merchantId, refunding.serviceId) : undefined;
  const net = invoice.paidAmount - invoice.refundedAmount;
  // One read for both cards that show the invoice's links.
  const links = invoicePaymentLinks(db, { merchantId: actor.merchantId, invoiceId: invoice.id });
  const origin = publicUrl();

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <Link href="/invoices" className="text-sm text-subtle hover:text-slate-800 dark:hover:text-slate-200">
            ← Invoices
          </Link>
          <h1 className="mt-1 flex items-center gap-3 text-2xl font-semibold tracking-tight">
            {number} <InvoiceStatusBadge status={invoice.status} paymentStatus={invoice.paymentStatus} dueDate={invoice.dueDate} />
          </h1>
          <p className="mt-1 text-sm text-subtle">
            Created {formatDateTime(invoice.createdAt)}
            {invoice.dueDate ? ` · due ${formatDay(invoice.dueDate)}` : ""}
            {invoice.referenceId ? ` · ref ${invoice.referenceId}` : ""}
          </p>
        </div>
        {canWrite && invoice.status === "open" && invoice.paymentStatus === "unpaid" ? <VoidInvoiceButton invoiceId={invoice.id} number={number} /> : null}
      </div>

      {invoice.needsReview ? (
        <div role="alert" className="rounded-md bg-amber-50 dark:bg-amber-950/40 px-4 py-3 text-sm text-amber-900 dark:text-amber-200 ring-1 ring-inset ring-amber-200 dark:ring-amber-900">
          A payment arrived after this invoice was voided. It is recorded below: refund it or reopen the sale with a new invoice.
        </div>
      ) : null}

      <Card className="p-5">
        <dl className={`grid gap-4 ${invoice.refundedAmount ? "grid-cols-2 sm:grid-cols-3 lg:grid-cols-5" : "sm:grid-cols-3"}`}>
          {/* With refunds, a phone shows the total alone, then paid and remaining, then refunded and net. */}
          <div className={invoice.refundedAmount ? "col-span-2 sm:col-span-1" : undefined}>
            <dt className="text-sm text-subtle">Total</dt>
            <dd className="text-xl font-semibold tabular-nums" data-testid="invoice-amount">{money(invoice.amount)}</dd>
          </div>
          <div>
            <dt className="text-sm text-subtle">Paid</dt>
            <dd className="text-xl font-semibold tabular-nums" data-testid="invoice-paid">{money(invoice.paidAmount)}</dd>
          </div>
          <div>
            <dt className="text-sm text-subtle">{balance >= 0 ? "Remaining" : "Extra"}</dt>
            <dd className={`text-xl font-semibold tabular-nums ${balance < 0 ? "text-violet-700" : ""}`} data-testid="invoice-balance">
              {money(Math.abs(balance))}
            </dd>
          </div>
          {invoice.refundedAmount ? (
            <>
              <div>
                <dt className="text-sm text-subtle">Refunded</dt>
                <dd className="text-xl font-semibold tabular-nums" data-testid="invoice-refunded">{money(invoice.refundedAmount)}</dd>
              </div>
              <div>
                <dt className="text-sm text-subtle">Net</dt>
                <dd className="text-xl font-semibold tabular-nums" data-testid="invoice-net">{money(net)}</dd>
              </div>
            </>
          ) : null}
        </dl>
        <div className="mt-4 h-2 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800" role="progressbar" aria-label="Paid" aria-valuenow={progress} aria-valuemin={0} aria-valuemax={100}>
          <div className={`h-full rounded-full ${balance < 0 ? "bg-violet-500" : "bg-brand-500"}`} style={{ width: `${progress}%` }} />
        </div>
      </Card>

      {canWrite && invoice.status === "open" ? (
        <RecordPaymentForm invoiceId={invoice.id} currency={currency} remaining={money(Math.max(0, balance))} />
      ) : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card>
            <CardHeader title="Items" />
            <TableScroll label="Items table">
              <table className="min-w-full text-sm">
                <TableHead columns={["Item", { label: "Unit price", align: "right" }, { label: "Qty", align: "right" }, { label: "Amount", align: "right" }]} />
                <tbody className="divide-y divide-line-soft">
                  {invoice.items.map((item) => (
                    <tr key={item.position}>
                      <td className="px-5 py-2">{item.name}</td>
                      <td className="px-5 py-2 text-right tabular-nums">{money(item.unitPrice)}</td>
                      <td className="px-5 py-2 text-right tabular-nums">{item.quantity}</td>
                      <td className="px-5 py-2 text-right tabular-nums">{money(item.amount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </Card>

          <Card>
            <CardHeader title="Payments" />
            {invoice.payments.length === 0 ? (
              <p className="px-5 py-6 text-sm text-subtle">No payments yet.</p>
            ) : (
              <TableScroll label="Payments table">
                <table className="min-w-full text-sm" aria-label="Payments">
                  <TableHead columns={["When", { label: "Amount", align: "right" }, "Method", "Reference", "Status"]} pad="px-3 first:pl-5 last:pr-5" />
                  <tbody className="divide-y divide-line-soft">
                    {invoice.payments.map((p) => (
                      <tr key={p.id}>
                        <td className="whitespace-nowrap py-2 pl-5 pr-3 text-subtle">{formatDateTime(p.createdAt)}</td>
                        <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                          {money(p.amount)}
                          {p.refundedAmount ? <span className="block whitespace-normal text-xs text-subtle" data-testid="payment-refunded">{money(p.refundedAmount)} refunded</span> : null}
                          {p.refundPendingAmount ? <span className="block whitespace-normal text-xs text-subtle">{money(p.refundPendingAmount)} refund pending</span> : null}
                          {/* Under the amount it gives back, where a phone sees it without scrolling the table sideways. */}
                          {refundable(p) > 0 ? (
                            <Link
                              href={`/invoices/${invoice.id}?refund=${p.id}#refund`}
                              aria-label={`Refund the ${money(p.amount)} payment of ${formatDateTime(p.createdAt)}`}
                              className="mt-0.5 block text-sm font-medium text-brand-700 hover:underline dark:text-brand-400"
                            >
                              Refund
                            </Link>
                          ) : null}
                        </td>
                        <td className="whitespace-nowrap px-3 py-2">{paymentMethodLabels[p.method] ?? p.method}{p.cardLast4 ? ` ···· ${p.cardLast4}` : ""}</td>
                        <td className="px-3 py-2 font-mono text-xs wrap-anywhere">{p.providerRef}{p.note ? <span className="block font-sans text-subtle">{p.note}</span> : null}</td>
                        <td className="space-x-1 whitespace-nowrap py-2 pl-3 pr-5">
                          <Badge tone={p.status === "succeeded" ? "green" : p.status === "processing" ? "blue" : "red"}>{paymentResultLabels[p.status]}</Badge>
                          {p.status === "processing" && p.confirmationsRequired ? (
                            <span className="text-xs text-subtle">
                              {p.confirmations ?? 0} of {p.confirmationsRequired} confirmations
                            </span>
                          ) : null}
                          {p.late ? <Badge tone="yellow">Late</Badge> : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
            {refunding && refundRoute ? (
              <div id="refund" className="scroll-mt-28">
                <RefundForm
                  key={refunding.id}
                  invoiceId={invoice.id}
                  paymentId={refunding.id}
                  currency={currency}
                  refundable={refundableOf(refunding)}
                  payment={`${money(refunding.amount)} · ${paymentMethodLabels[refunding.method] ?? refunding.method}${refunding.cardLast4 ? ` ···· ${refunding.cardLast4}` : ""} · ${formatDateTime(refunding.createdAt)}`}
                  route={refundRoute}
                />
              </div>
            ) : null}
          </Card>
          {refunds.length ? (
            <RefundsList refunds={refunds} canCheck={canRefund} summary={`${money(invoice.refundedAmount)} refunded · ${money(net)} net of ${money(invoice.paidAmount)} paid`} />
          ) : null}
          <InvoicePaymentLinks data={links} actor={actor} invoiceId={invoice.id} currency={invoice.currency} open={invoice.status === "open" && invoice.paidAmount < invoice.amount} />
          <InvoiceDeliveries data={listDeliveries(db, { merchantId: actor.merchantId, filter: { status: [], q: invoice.id }, limit: 10 })} invoiceId={invoice.id} />
        </div>

        <div className="min-w-0 space-y-6">
          {invoice.status === "open" ? <CheckoutLink data={links} origin={origin} number={number} /> : null}
          <Card>
            <CardHeader title="Customer" />
            <dl className="space-y-2 px-5 py-4 text-sm">
              <div><dt className="sr-only">Name</dt><dd className="font-medium text-strong">{invoice.customerName}</dd></div>
              {invoice.customerEmail ? <div><dt className="sr-only">Email</dt><dd className="text-muted">{invoice.customerEmail}</dd></div> : null}
              {invoice.customerPhone ? <div><dt className="sr-only">Phone</dt><dd className="text-muted">{invoice.customerPhone}</dd></div> : null}
              {invoice.customerAddress ? <div><dt className="sr-only">Address</dt><dd className="whitespace-pre-line text-muted">{invoice.customerAddress}</dd></div> : null}
            </dl>
            {invoice.description ? <p className="border-t border-line-soft px-5 py-4 text-sm text-muted">{invoice.description}</p> : null}
          </Card>
          <Card>
            <CardHeader title="Timeline" />
            <Timeline events={timeline} />
          </Card>
        </div>
      </div>
    </div>
  );
}

/** What the refund form asks last, by the payment's service: the sandbox's outcome, nothing for a gateway, or the transfer's reference. */
async function refundFormRoute(db: Database, merchantId: string, serviceId: string): Promise<RefundFormRoute> {
  const { route, kind, name } = await refundRouteOfService(db, { merchantId, serviceId });
  if (kind === "sandbox") return { kind: "sandbox" };
  return route === "gateway" ? { kind: "gateway", name: name ?? "the gateway" } : { kind: "manual" };
}
