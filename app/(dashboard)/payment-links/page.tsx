import Link from "next/link";
import { PaymentStatusBadge } from "@/components/invoices/status-badge";
import { CreateStandaloneLink } from "@/components/payment-links/create-standalone-link";
import { LinkRowActions } from "@/components/payment-links/link-row-actions";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/field";
import { getDb } from "@/db/client";
import type { PaymentLinkStatus } from "@/db/schema";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { linkStateLabel, linkStatusLabels, paymentStatusLabels } from "@/lib/format/labels";
import { formatDateTime } from "@/lib/format/time";
import { type CurrencyCode, currencyCodes, formatAmount } from "@/lib/money";
import { formatInvoiceNumber } from "@/lib/invoices/schemas";
import { listLinks } from "@/lib/payment-links/queries";
import { linkFiltersSchema } from "@/lib/payment-links/schemas";
import { flowsOf, listServices } from "@/lib/payment-services/services";
import { TableScroll } from "@/components/ui/table-scroll";

export const metadata = { title: "Payment links" };

const lifecycleTone: Record<PaymentLinkStatus, BadgeTone> = { active: "blue", expired: "gray", canceled: "red" };

export default async function PaymentLinksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const db = await getDb();
  const filters = linkFiltersSchema.parse(await searchParams);
  const [rows, services] = await Promise.all([listLinks(db, { merchantId: actor.merchantId, filters }), listServices(db, actor.merchantId)]);
  const manage = can(actor.role, "invoices.write");
  // Each with the currencies it takes, so the form offers only those that can take the chosen one.
  const usable = services
    .filter((s) => s.enabled)
    .map((s) => ({ id: s.id, name: s.name, kind: s.kind, currencies: currencyCodes.filter((c) => flowsOf(s, c).length > 0) }));

  return (
    <>
      <PageHeader
        title="Payment links"
        description="Hosted checkouts your customers pay through. Each link belongs to an invoice."
        actions={
          <Link href="/payment-links/notifications" className={buttonClass("secondary")}>
            Provider notifications
          </Link>
        }
      />
      {manage ? (
        <Card className="mb-6">
          <CardHeader title="New payment link" description="For an amount, without making an invoice first: the link creates one." />
          <CreateStandaloneLink services={usable} currencies={[...currencyCodes]} />
        </Card>
      ) : null}
      <Card>
        <form className="flex flex-wrap items-end gap-3 border-b border-line px-5 py-4" aria-label="Filter payment links">
          <label className="text-sm">
            <span className="mb-1 block font-medium text-body">Link status</span>
            <Select name="status" defaultValue={filters.status} className="w-36">
              <option value="all">All</option>
              {Object.entries(linkStatusLabels).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </label>
          <label className="text-sm">
            <span className="mb-1 block font-medium text-body">Payment</span>
            <Select name="payment" defaultValue={filters.payment} className="w-36">
              <option value="all">All</option>
              {Object.entries(paymentStatusLabels).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </label>
          <label className="text-sm">
            <span className="mb-1 block font-medium text-body">Search</span>
            <Input name="q" defaultValue={filters.q ?? ""} placeholder="Code, description, customer" className="w-64" />
          </label>
          <button className={buttonClass("secondary")}>Filter</button>
        </form>
        {rows.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-subtle">No payment links match.</p>
        ) : (
          <TableScroll label="Payment links table">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 dark:bg-slate-800/50 text-left text-xs uppercase tracking-wide text-subtle">
                <tr>
                  <th className="px-5 py-2 font-medium">Code</th>
                  <th className="px-3 py-2 font-medium">For</th>
                  <th className="px-3 py-2 text-right font-medium">Amount</th>
                  <th className="px-3 py-2 text-right font-medium">Paid</th>
                  <th className="px-3 py-2 font-medium">Status</th>
                  <th className="px-3 py-2 font-medium">Expires</th>
                  <th className="px-5 py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-line-soft" data-testid="payment-links">
                {rows.map(({ link, customerName, invoiceNumber }) => (
                  <tr key={link.id} data-code={link.code}>
                    <td className="px-5 py-3 font-mono">
                      <a href={`/pay/${link.code}`} target="_blank" rel="noreferrer" className="text-brand-800 dark:text-brand-300 hover:underline">
                        {link.code}
                      </a>
                    </td>
                    <td className="px-3 py-3">
                      {/* Every link is for an invoice; a standalone one also says what it is for. */}
                      <Link href={`/invoices/${link.invoiceId}`} className="block font-medium text-brand-700 hover:underline dark:text-brand-400">
                        {formatInvoiceNumber(invoiceNumber)}
                      </Link>
                      <span className="block text-xs text-subtle">{link.description ? `${link.description} · ${customerName}` : customerName}</span>
                    </td>
                    <td className="px-3 py-3 text-right tabular-nums">{formatAmount(link.amount, link.currency as CurrencyCode)}</td>
                    <td className="px-3 py-3 text-right tabular-nums">{formatAmount(link.paidAmount, link.currency as CurrencyCode)}</td>
                    <td className="space-x-1 px-3 py-3 whitespace-nowrap">
                      <Badge tone={link.cancellationReason && link.cancellationReason !== "merchant" ? "gray" : lifecycleTone[link.status]}>{linkStateLabel(link)}</Badge>
                      <PaymentStatusBadge status={link.paymentStatus} />
                    </td>
                    <td className="px-3 py-3 whitespace-nowrap text-muted">{formatDateTime(link.expiresAt)}</td>
                    <td className="px-5 py-3">
                      <LinkRowActions linkId={link.id} code={link.code} canCancel={manage && link.status === "active"} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Card>
    </>
  );
}
