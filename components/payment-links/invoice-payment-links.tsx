import Link from "next/link";
import { PaymentStatusBadge } from "@/components/invoices/status-badge";
import { CreateInvoiceLink } from "@/components/payment-links/create-invoice-link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import type { Actor } from "@/lib/auth/roles";
import { can } from "@/lib/auth/roles";
import { linkStateLabel, notificationOutcomeLabels } from "@/lib/format/labels";
import { formatDateTime } from "@/lib/format/time";
import { type CurrencyCode, formatAmount } from "@/lib/money";
import type { InvoicePaymentLinks as PanelData } from "@/lib/payment-links/queries";
import { flowsOf } from "@/lib/payment-services/services";

/**
 * The invoice page's "Payment links" card (server component): its links, the
 * provider notifications that touched it, and, for owners and admins, the
 * "Create payment link" form.
 */
export async function InvoicePaymentLinks({
  data,
  actor,
  invoiceId,
  currency,
  open,
}: {
  data: Promise<PanelData>;
  actor: Actor;
  invoiceId: string;
  currency: string;
  open: boolean;
}) {
  const { links, notifications, services } = await data;
  // Only the services that can take the invoice's currency: the others would be refused after submit.
  const offered = services.filter((s) => s.enabled && flowsOf(s, currency).length > 0).map((s) => ({ id: s.id, name: s.name, kind: s.kind }));
  return (
    <Card>
      <CardHeader title="Payment links" description="Checkout pages for this invoice, and what the providers told us." />
      {links.length ? (
        <ul className="divide-y divide-line-soft" aria-label="Payment links for this invoice">
          {links.map((l) => (
            <li key={l.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3 text-sm">
              <a href={`/pay/${l.code}`} target="_blank" rel="noreferrer" className="font-mono text-brand-800 dark:text-brand-300 hover:underline">
                /pay/{l.code}
              </a>
              <span className="tabular-nums">
                {formatAmount(l.paidAmount, l.currency as CurrencyCode)} of {formatAmount(l.amount, l.currency as CurrencyCode)}
              </span>
              <span className="space-x-1">
                <Badge tone={l.status === "active" ? "blue" : "gray"}>{linkStateLabel(l)}</Badge>
                <PaymentStatusBadge status={l.paymentStatus} />
              </span>
              <span className="text-xs text-subtle">expires {formatDateTime(l.expiresAt)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-5 py-4 text-sm text-subtle">No payment links yet.</p>
      )}
      {notifications.length ? (
        <div className="border-t border-line px-5 py-3">
          <h3 className="text-sm font-semibold text-strong">Provider notifications</h3>
          <ul className="mt-2 space-y-1 text-sm text-body">
            {notifications.map((n) => (
              <li key={n.id}>
                {formatDateTime(n.createdAt)} · <Badge>{notificationOutcomeLabels[n.outcome]}</Badge> {n.providerRef ? <span className="font-mono text-xs">{n.providerRef}</span> : null}
                {n.message ? <span className="text-subtle"> · {n.message}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {open && can(actor.role, "invoices.write") ? (
        <div className="border-t border-line">
          {offered.length ? (
            <CreateInvoiceLink invoiceId={invoiceId} services={offered} />
          ) : (
            <p className="px-5 py-4 text-sm text-muted" data-testid="no-service-for-currency">
              None of your enabled payment services takes {currency}, so no payment link can be made for this invoice.{" "}
              {can(actor.role, "merchant.manage") ? (
                <Link href="/settings/payment-services" className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
                  Payment services
                </Link>
              ) : null}
            </p>
          )}
        </div>
      ) : null}
    </Card>
  );
}
